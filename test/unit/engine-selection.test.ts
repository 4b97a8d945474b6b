import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { dockerStyleTag, engineInfo, explainEngineFailure } from '../../src/docker/engine.js';
import { HarnessError } from '../../src/errors.js';
import { engineCaveats } from '../../src/runtime/engine-caveats.js';
import { useDockerHost } from '../../src/runtime/engine-host.js';

/**
 * An engine's answers to /version (recorded from the sockets of this machine's Docker and
 * Podman), /info and Podman's /libpod/info (the fields read, as they answered).
 */
function engineAnswering(versionFile: string, host: { rootless: boolean; cgroupVersion: string }): Docker {
  const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/engines', versionFile), 'utf8'));
  const info = { CgroupVersion: host.cgroupVersion, SecurityOptions: ['name=seccomp,profile=default', ...(host.rootless ? ['name=rootless'] : [])] };
  const libpodInfo = { host: { cgroupVersion: `v${host.cgroupVersion}`, security: { rootless: host.rootless } } };
  const dial = (opts: { path: string }, done: (err: unknown, data?: unknown) => void) => (opts.path.includes('/libpod/info') ? done(null, libpodInfo) : done(new Error(`no ${opts.path}`)));
  return { version: async () => version, info: async () => info, modem: { dial } } as unknown as Docker;
}

describe('which engine answers', () => {
  it('tells Podman (its compat socket) from Docker by the version components', async () => {
    const rootlessV1 = { rootless: true, cgroupVersion: '1' };
    expect(await engineInfo(engineAnswering('podman-4.3-version.json', rootlessV1))).toEqual({ name: 'podman', version: '4.3.1', apiVersion: '1.41', ...rootlessV1 });
    const rootV2 = { rootless: false, cgroupVersion: '2' };
    expect(await engineInfo(engineAnswering('docker-20.10-version.json', rootV2))).toEqual({ name: 'docker', version: '20.10.24+dfsg1', apiVersion: '1.41', ...rootV2 });
  });

  it('warns before a run where the limits will not hold: rootless on cgroup v1', () => {
    const podman = { name: 'podman', version: '4.3.1', apiVersion: '1.41' };
    expect(engineCaveats({ ...podman, rootless: true, cgroupVersion: '1' })).toEqual([expect.stringMatching(/no memory, CPU or process limit/)]);
    expect(engineCaveats({ ...podman, rootless: true, cgroupVersion: '2' })).toEqual([]);
    expect(engineCaveats({ ...podman, rootless: false, cgroupVersion: '1' })).toEqual([]);
  });

  it("reads Podman's qualified names as Docker writes them", () => {
    expect(dockerStyleTag('docker.io/swe-harness/env:python-1')).toBe('swe-harness/env:python-1');
    expect(dockerStyleTag('localhost/swe-harness/os:bookworm')).toBe('swe-harness/os:bookworm');
    expect(dockerStyleTag('docker.io/library/debian:12')).toBe('debian:12');
    expect(dockerStyleTag('127.0.0.1:5000/ns/x:1')).toBe('127.0.0.1:5000/ns/x:1');
  });

  it("says what to do about Podman's errors that do not (real messages of Podman 4.3)", () => {
    const nproc = new Error('(HTTP code 500) server error - runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 6: operation not permitted: OCI permission denied');
    expect(explainEngineFailure(nproc)).toMatchObject({ code: 'DOCKER', message: expect.stringMatching(/set sandbox\.nproc/) });
    const pause = new Error('(HTTP code 500) server error - can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup');
    expect(explainEngineFailure(pause)).toMatchObject({ code: 'SANDBOX', message: expect.stringMatching(/cgroup v2/) });
    const other = new Error('no such image');
    expect(explainEngineFailure(other)).toBe(other);
  });
});

describe('choosing the engine (--docker-host, docker_host)', () => {
  const before = process.env.DOCKER_HOST;
  afterEach(() => {
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
  });

  it('takes the flag before the config key, and leaves DOCKER_HOST alone when neither is given', () => {
    process.env.DOCKER_HOST = 'unix:///from/env.sock';
    expect(useDockerHost(undefined, null)).toBeUndefined();
    expect(process.env.DOCKER_HOST).toBe('unix:///from/env.sock');
    expect(useDockerHost(undefined, 'unix:///run/podman/podman.sock')).toBe('unix:///run/podman/podman.sock');
    expect(useDockerHost('tcp://10.0.0.2:2375', 'unix:///run/podman/podman.sock')).toBe('tcp://10.0.0.2:2375');
    expect(process.env.DOCKER_HOST).toBe('tcp://10.0.0.2:2375');
  });

  it('refuses what is not an engine address, naming it', () => {
    for (const bad of ['/run/podman/podman.sock', 'podman', 'ftp://host/x']) {
      const err = (() => {
        try {
          useDockerHost(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).code).toBe('USAGE');
      expect((err as HarnessError).message).toContain(JSON.stringify(bad));
    }
  });

  it('has a docker_host config key, null by default', () => {
    expect(loadHarnessConfig().docker_host).toBeNull();
    expect(loadHarnessConfig(undefined, { docker_host: 'unix:///run/podman/podman.sock' }).docker_host).toBe('unix:///run/podman/podman.sock');
  });
});
