import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrajectory } from '../../src/agent/trajectory.js';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { startScriptedModelServer, type ScriptedModelServer, type ServerTurn } from '../helpers/scripted-model-server.js';

const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'run-killed-'));
const configFile = path.join(work, 'config.yaml');
writeFileSync(configFile, `run: {root: ${path.join(work, 'runs')}}\nstate_dir: ${path.join(work, 'state')}\nrepo_cache: ${path.join(work, 'repos')}\n`);
const textkit = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.find((i) => i.instance_id === 'demo__textkit-1')!;

/** The CLI, without blocking this process: the model server answering it lives here. */
function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('`swe-harness run` killed with SIGKILL mid-episode (real CLI, real Docker, a loopback model)', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const turns = (): ServerTurn[] => [
    { kind: 'answer', toolCalls: [{ name: 'read_file', arguments: { path: 'textkit/slugify.py', end_line: 5 } }], usage: { input: 100, output: 10 } },
    { kind: 'answer', toolCalls: [{ name: 'apply_diff', arguments: { diff: textkit.patch } }], usage: { input: 200, output: 300 } },
    { kind: 'answer', toolCalls: [{ name: 'run_tests', arguments: { files: ['tests/test_slugify.py'] } }], usage: { input: 300, output: 20 }, delayMs: 5000 },
    { kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }], usage: { input: 400, output: 5 } },
  ];
  const args = (runId: string) => [CLI, 'run', '--dataset', path.join(PROJECT_ROOT, 'instances/demo'), '--instance-ids', 'demo__textkit-1', '--agent', 'model', '--model', 'scripted-gpt', '--provider', 'openai', '--base-url', `${server.url}/v1`, '--api-key-env', 'none', '--run-id', runId, '--config', configFile];

  it('resumes from the last completed step and ends as an uninterrupted run does', async () => {
    server.script(turns());
    const straight = await runCli(args('test-run-straight'));
    expect(straight.status, straight.stderr).toBe(0);

    server.script(turns());
    const child = spawn(process.execPath, args('test-run-killed'), { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    while (server.requests.length < 3) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    const dir = path.join(work, 'runs/test-run-killed/agent/demo__textkit-1/0');
    expect(readTrajectory(path.join(dir, 'trajectory.jsonl')).steps).toHaveLength(2);
    expect(existsSync(path.join(dir, 'result.json'))).toBe(false);

    server.script(turns().slice(2));
    const resumed = await runCli(args('test-run-killed'));
    expect(resumed.status, resumed.stderr).toBe(0);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as { exit_status: string; steps: number; patch: string };
    const reference = JSON.parse(readFileSync(path.join(work, 'runs/test-run-straight/agent/demo__textkit-1/0/result.json'), 'utf8')) as { patch: string };
    expect(result).toMatchObject({ exit_status: 'submitted', steps: 4, patch: reference.patch });
    const report = JSON.parse(readFileSync(path.join(work, 'runs/test-run-killed/scripted-gpt/demo__textkit-1/report.json'), 'utf8')) as Record<string, { resolved: boolean }>;
    expect(report['demo__textkit-1']?.resolved).toBe(true);
    const left = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.run=test-run-killed'] }) });
    expect(left).toHaveLength(0);
  });
});
