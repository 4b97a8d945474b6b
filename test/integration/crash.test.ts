import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';

const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'crash-test-'));
const configFile = path.join(work, 'config.yaml');
writeFileSync(configFile, `run: {root: ${path.join(work, 'runs')}}\nrepo_cache: ${path.join(work, 'repos')}\n`);
const args = (runId: string) => [CLI, 'evaluate', '--dataset', path.join(PROJECT_ROOT, 'instances/demo'), '--predictions', 'gold', '--run-id', runId, '-j', '1', '--config', configFile];

function reports(runId: string): Map<string, { finished_at: string }> {
  const dir = path.join(work, 'runs', runId, 'gold');
  const out = new Map<string, { finished_at: string }>();
  if (!existsSync(dir)) return out;
  for (const id of readdirSync(dir)) {
    const file = path.join(dir, id, 'report.json');
    if (existsSync(file)) out.set(id, Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { finished_at: string }>)[0]!);
  }
  return out;
}

function summary(runId: string): Record<string, unknown> {
  const s = JSON.parse(readFileSync(path.join(work, 'runs', runId, `gold.${runId}.json`), 'utf8')) as Record<string, unknown>;
  delete s.run_id;
  return s;
}

/** Starts the CLI and SIGKILLs it once `count` instances have a report, before it ends. */
async function killAfter(runId: string, count: number): Promise<void> {
  const child = spawn(process.execPath, args(runId), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (;;) {
    if (reports(runId).size >= count) break;
    if (child.exitCode !== null) throw new Error('the run ended before it could be killed');
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  await exited;
}

const DEMO_SIZE = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.length;

describe('the harness killed with SIGKILL mid-run (real Docker, the real CLI)', () => {
  it('redoes only the unfinished instances on restart and ends with the same report as an uninterrupted run', async () => {
    const straight = spawnSync(process.execPath, args('test-crash-straight'), { encoding: 'utf8' });
    expect(straight.status).toBe(0);

    await killAfter('test-crash', 2);
    const before = reports('test-crash');
    expect(before.size).toBeGreaterThanOrEqual(2);
    expect(before.size).toBeLessThan(DEMO_SIZE);
    expect(existsSync(path.join(work, 'runs/test-crash/gold.test-crash.json'))).toBe(false);

    const again = spawnSync(process.execPath, args('test-crash'), { encoding: 'utf8' });
    expect(again.status).toBe(0);
    const after = reports('test-crash');
    expect(after.size).toBe(DEMO_SIZE);
    for (const [id, report] of before) expect(after.get(id)?.finished_at).toBe(report.finished_at);
    expect(again.stderr.match(/\(reused\)/g)).toHaveLength(before.size);
    expect(summary('test-crash')).toEqual(summary('test-crash-straight'));

    const left = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.run=test-crash'] }) });
    expect(left).toHaveLength(0);
  });
});
