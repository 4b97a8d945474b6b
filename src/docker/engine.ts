import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import type { EngineInfo } from '../runtime/container-runtime.js';

/**
 * Which engine answers on the socket. Podman's Docker-compatible service names itself in
 * the version's components ("Podman Engine"); Docker's says "Engine". The platform name is
 * a second hint (Podman Desktop, some distributions' builds).
 */
export async function engineInfo(docker: Docker): Promise<EngineInfo> {
  const version = await docker.version();
  const components = version.Components ?? [];
  const podman = components.find((c) => /podman/i.test(c.Name));
  const isPodman = podman !== undefined || /podman/i.test(version.Platform?.Name ?? '');
  const host = isPodman ? await podmanHost(docker, (podman?.Details as { APIVersion?: string } | undefined)?.APIVersion) : await dockerHost(docker);
  return { name: isPodman ? 'podman' : 'docker', version: podman?.Version ?? version.Version, apiVersion: version.ApiVersion, ...host };
}

type HostFacts = Pick<EngineInfo, 'rootless' | 'cgroupVersion'>;

async function dockerHost(docker: Docker): Promise<HostFacts> {
  const info = (await docker.info()) as { CgroupVersion?: string; SecurityOptions?: string[] };
  return { rootless: (info.SecurityOptions ?? []).includes('name=rootless'), cgroupVersion: info.CgroupVersion ?? '1' };
}

/** Podman's compat /info does not say whether it is rootless: its own API does. */
async function podmanHost(docker: Docker, apiVersion = '4.0.0'): Promise<HostFacts> {
  const info = await new Promise<{ host?: { cgroupVersion?: string; security?: { rootless?: boolean } } }>((resolve, reject) =>
    docker.modem.dial({ path: `/v${apiVersion}/libpod/info?`, method: 'GET', options: {}, statusCodes: { 200: true } }, (err: unknown, data: unknown) =>
      err ? reject(err) : resolve(data as never),
    ),
  );
  return { rootless: info.host?.security?.rootless === true, cgroupVersion: (info.host?.cgroupVersion ?? 'v1').replace(/^v/, '') };
}

/**
 * An image reference as Docker writes it. Podman qualifies short names: what it builds or
 * imports under `swe-harness/env:x` it lists as `docker.io/swe-harness/env:x`, and what
 * `podman load` brings as `localhost/swe-harness/os:bookworm`; both mean the same image.
 */
export function dockerStyleTag(tag: string): string {
  return tag.replace(/^(docker\.io\/library\/|docker\.io\/|localhost\/)/, '');
}

const ROOTLESS_V1_PAUSE = /pause containers on rootless containers with cgroup V1/i;

/** Whether the engine cannot freeze containers at all (rootless Podman on cgroup v1). */
export function cannotPause(cause: unknown): boolean {
  return ROOTLESS_V1_PAUSE.test((cause as Error)?.message ?? '');
}

/** Engine failures whose own words do not say what to do, and what to say instead. */
const EXPLAINED: { pattern: RegExp; code: 'DOCKER' | 'SANDBOX'; message: string }[] = [
  {
    // Rootful Podman sets RLIMIT_NPROC (and RLIMIT_NOFILE, when not given) to 1048576, which
    // fails where its service lacks CAP_SYS_RESOURCE (an engine inside a container).
    pattern: /setting rlimit type [67]\b|RLIMIT_NPROC|RLIMIT_NOFILE/,
    code: 'DOCKER',
    message:
      'the engine cannot set its default limit on processes or open files (Podman asks for 1048576, which needs CAP_SYS_RESOURCE): ' +
      'set sandbox.nproc (and sandbox.nofile) in the harness config (scripts/ensure-podman.sh prints a value that works here)',
  },
  {
    // The freezer of a rootless container needs a cgroup it owns: cgroup v2 with delegation.
    pattern: ROOTLESS_V1_PAUSE,
    code: 'SANDBOX',
    message: 'rootless Podman cannot pause a container on a cgroup v1 machine: use rootful Podman or Docker, or a machine with cgroup v2',
  },
];

/** An engine failure in the harness's words, with the fix, when it is one of EXPLAINED. */
export function explainEngineFailure(cause: unknown): unknown {
  const message = (cause as Error)?.message ?? '';
  const known = EXPLAINED.find((e) => e.pattern.test(message));
  return known ? new HarnessError(known.code, known.message, {}, { cause }) : cause;
}
