import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { HarnessError } from '../../src/errors.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import type { ContainerSandbox } from '../../src/sandbox/container-sandbox.js';
import { attachSession, startSession } from '../../src/sandbox/sessions.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
const config = loadHarnessConfig(undefined, { state_dir: path.join(work, 'state'), repo_cache: path.join(work, 'repos') });
const instance = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.find((i) => i.instance_id === 'demo__textkit-1')!;

describe('a sandbox session (real Docker)', () => {
  let box: ContainerSandbox;
  beforeAll(async () => {
    box = await startSession({ config, instance, runId: 'test-sandbox' });
  });
  afterAll(async () => {
    await box.destroy();
  });

  it('runs commands in the repository with cwd, env and exit code', async () => {
    const r = await box.exec('pwd; echo "$GREETING"; exit 4', { env: { GREETING: 'hi there' } });
    expect(r).toMatchObject({ exitCode: 4, output: '/testbed\nhi there\n', timedOut: false });
    expect((await box.exec('pwd', { cwd: 'tests' })).output).toBe('/testbed/tests\n');
  });

  it('kills a command that runs over its timeout and the session lives on', async () => {
    const r = await box.exec('echo begin; sleep 30', { timeoutSeconds: 1 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.output).toContain('begin');
    expect((await box.exec('echo still here')).output).toBe('still here\n');
  });

  it('stops a command when its signal aborts', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const r = await box.exec('sleep 30', { signal: abort.signal });
    expect(r.exitCode).toBeNull();
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('reads and writes files, bytes intact, and the diff has new, changed and binary files', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 10]);
    await box.writeFile('assets/blob.bin', bytes);
    expect(await box.readFile('assets/blob.bin')).toEqual(bytes);
    expect(await box.readFile('no/such/file')).toBeNull();
    const readme = (await box.readFile('README.md'))!.toString();
    await box.writeFile('README.md', `${readme}one more line\n`);
    await box.writeFile('notes.txt', 'new file\n');
    const diff = await box.diff();
    expect(diff).toContain('diff --git a/README.md b/README.md');
    expect(diff).toContain('+one more line');
    expect(diff).toContain('diff --git a/notes.txt b/notes.txt');
    expect(diff).toContain('GIT binary patch');
    expect((await box.exec('git status --porcelain')).output).toContain('?? notes.txt');
  });

  it('pauses and resumes: processes freeze and go on', async () => {
    await box.exec('setsid nohup bash -c "while true; do date +%s%N >> /tmp/ticks; sleep 0.05; done" >/dev/null 2>&1 &');
    await new Promise((r) => setTimeout(r, 300));
    await box.pause();
    expect(await box.status()).toBe('paused');
    await expect(box.exec('true')).rejects.toThrow(/paused/);
    await new Promise((r) => setTimeout(r, 1000));
    await box.resume();
    await new Promise((r) => setTimeout(r, 300));
    const ticks = (await box.exec('cat /tmp/ticks')).output.trim().split('\n').map((t) => Number(t) / 1e6);
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    expect(Math.max(...gaps)).toBeGreaterThan(900);
    expect(ticks.length).toBeGreaterThan(5);
  });

  it('snapshots and restores the filesystem', async () => {
    await box.writeFile('before.txt', 'kept\n');
    await box.snapshot('one');
    await box.writeFile('after.txt', 'lost\n');
    await box.restore('one');
    expect((await box.readFile('before.txt'))?.toString()).toBe('kept\n');
    expect(await box.readFile('after.txt')).toBeNull();
  });

  it('is found again from its state after the harness restarts', async () => {
    const again = attachSession(config, box.sessionId);
    expect((await again.readFile('before.txt'))?.toString()).toBe('kept\n');
    again.close();
  });

  it('says clearly when its container is gone', async () => {
    const other = await startSession({ config, instance, runId: 'test-sandbox' });
    await other.snapshot('keep');
    await new Docker().getContainer(other.info.containerId).remove({ force: true });
    const err = await attachSession(config, other.sessionId).exec('true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('SESSION_GONE');
    expect((err as HarnessError).message).toMatch(/is gone.*snapshots \(keep\) can be restored/);
    await other.restore('keep');
    expect((await other.exec('echo back')).output).toBe('back\n');
    await other.destroy();
  });
});

describe('sandbox defaults (real Docker)', () => {
  it('drops every capability, forbids new privileges, bounds open files and file size, and passes no host environment', async () => {
    process.env.SWE_HARNESS_TEST_SECRET = 'do-not-leak';
    const box = await startSession({ config, instance, runId: 'test-sandbox' });
    try {
      const status = (await box.exec('grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status; ulimit -n; ulimit -f; env')).output;
      expect(status).toMatch(/CapEff:\s+0000000000000000/);
      expect(status).toMatch(/CapBnd:\s+0000000000000000/);
      expect(status).toMatch(/NoNewPrivs:\s+1/);
      expect(status).toContain(`\n${config.sandbox.nofile}\n`);
      expect(status).toContain(`\n${config.sandbox.file_size_mb * 1024}\n`); // bash counts 1 KiB blocks
      expect(status).not.toContain('do-not-leak');
      const net = await box.exec('ls /sys/class/net');
      expect(net.output.trim()).toBe('lo');
    } finally {
      delete process.env.SWE_HARNESS_TEST_SECRET;
      await box.destroy();
    }
  });
});
