import type { EngineInfo } from './container-runtime.js';

/**
 * What an engine will not do that the config asks for, to say before a run: a rootless
 * engine on cgroup v1 applies no memory, CPU or process limit and cannot pause (Podman
 * warns on its own command line only; through the API it is silent).
 */
export function engineCaveats(engine: EngineInfo): string[] {
  if (!engine.rootless || engine.cgroupVersion !== '1') return [];
  return [`rootless ${engine.name} on cgroup v1: containers get no memory, CPU or process limit, and sessions cannot be paused`];
}
