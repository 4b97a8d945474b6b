import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../src/runtime/container-runtime.js';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import { managed, ownerLabels } from '../../src/runtime/labels.js';
import { containerRuntime } from '../../src/runtime/registry.js';

const IMAGE = 'swe-harness/os:bookworm';
const limits = { memoryMb: 256, cpus: 1, pids: 128, network: false };
const execOpts = { timeoutMs: 20_000, outputCapBytes: 1 << 20 };

describe('RunningContainer (real Docker)', () => {
  let box: Container;
  beforeAll(async () => {
    box = await containerRuntime().start({ image: IMAGE, labels: { 'swe-harness.run': 'test-container' }, limits });
  });
  afterAll(async () => {
    await box.remove();
  });

  it('returns the exit code and the interleaved output', async () => {
    const r = await box.exec(['bash', '-c', 'echo out; echo err >&2; exit 3'], execOpts);
    expect(r.exitCode).toBe(3);
    expect(r.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(r.timedOut).toBe(false);
  });

  it('returns when the command ends even if a child it left behind holds the output open', async () => {
    const r = await box.exec(['bash', '-c', 'sleep 1000 & echo started'], execOpts);
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('started\n');
    expect(r.durationMs).toBeLessThan(execOpts.timeoutMs);
  });

  it('writes files into the container, making their folders', async () => {
    await box.putFiles({ 'deep/dir/a.txt': 'hello\n' }, '/tmp');
    const r = await box.exec(['cat', '/tmp/deep/dir/a.txt'], execOpts);
    expect(r.output).toBe('hello\n');
  });

  it('caps the output, keeping head and tail', async () => {
    const r = await box.exec(['bash', '-c', 'echo FIRST; head -c 3000000 /dev/zero | tr "\\0" x; echo; echo LAST'], { ...execOpts, outputCapBytes: 10_000 });
    expect(r.truncated).toBe(true);
    expect(r.output.startsWith('FIRST\n')).toBe(true);
    expect(r.output.trimEnd().endsWith('LAST')).toBe(true);
    expect(r.output.length).toBeLessThan(11_000);
  });

  it('has no network', async () => {
    const r = await box.exec(['bash', '-c', 'cat /sys/class/net/*/operstate 2>/dev/null; ls /sys/class/net'], execOpts);
    expect(r.output.split('\n').filter(Boolean)).toEqual(['unknown', 'lo']);
  });
});

describe('RunningContainer timeout', () => {
  it('kills the whole container when a command runs over, and is removed on dispose', async () => {
    let id = '';
    {
      await using box = await containerRuntime().start({ image: IMAGE, labels: { 'swe-harness.run': 'test-container' }, limits });
      id = box.id;
      const r = await box.exec(['bash', '-c', 'echo begin; sleep 600'], { ...execOpts, timeoutMs: 1500 });
      expect(r.timedOut).toBe(true);
      expect(r.exitCode).toBeNull();
      expect(r.output).toContain('begin');
    }
    const err = await new Docker().getContainer(id).inspect().catch((e: { statusCode?: number }) => e);
    expect((err as { statusCode?: number }).statusCode).toBe(404);
  });
});

describe('issue 18: nothing an exec started outlives it', () => {
  /** The engine requests a client made after `since`, by path: what is still talking to Docker. */
  function recordingClient(): { docker: Docker; pathsSince: (t: number) => string[] } {
    const docker = new Docker();
    const seen: Array<{ at: number; path: string }> = [];
    const dial = docker.modem.dial.bind(docker.modem);
    docker.modem.dial = (options: { path?: string }, callback: unknown) => {
      seen.push({ at: Date.now(), path: options.path ?? '' });
      return dial(options as never, callback as never);
    };
    return { docker, pathsSince: (t) => seen.filter((s) => s.at >= t).map((s) => s.path) };
  }

  it('the exec watch stops polling the engine when a timed-out container is removed (the CLI hung after TEST_TIMEOUT)', async () => {
    const { docker, pathsSince } = recordingClient();
    const box = await new DockerRuntime({ images: managed(), containers: () => managed(ownerLabels()) }, docker).start({ image: IMAGE, labels: { 'swe-harness.run': 'test-container' }, limits });
    // The timeout lands just after one of the watch's polls, so the container is gone by its next.
    const r = await box.exec(['bash', '-c', 'sleep 600'], { ...execOpts, timeoutMs: 1300 });
    expect(r.timedOut).toBe(true);
    await box.remove();
    const removed = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(pathsSince(removed).filter((p) => p.startsWith('/exec/'))).toEqual([]);
  });

  it('the exec watch stops when the command ended normally', async () => {
    const { docker, pathsSince } = recordingClient();
    await using box = await new DockerRuntime({ images: managed(), containers: () => managed(ownerLabels()) }, docker).start({ image: IMAGE, labels: { 'swe-harness.run': 'test-container' }, limits });
    await box.exec(['bash', '-c', 'sleep 2'], execOpts);
    const returned = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pathsSince(returned).filter((p) => p.startsWith('/exec/'))).toEqual([]);
  });
});
