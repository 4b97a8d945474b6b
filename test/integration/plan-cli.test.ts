import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import type { EvaluationPlan } from '../../src/evaluation/plan-evaluation.js';

const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');
const LITE = path.join(PROJECT_ROOT, 'test/fixtures/datasets/swe-bench-lite-plan.jsonl');

/** The real CLI, with DOCKER_HOST pointing nowhere: a dry run must not need the engine. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const env = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('swe-harness plan / evaluate --dry-run (no Docker)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  const registryConfig = path.join(dir, 'registry.yaml');
  writeFileSync(registryConfig, 'images:\n  source: registry\n');

  it('plans every Lite row with the registry specs: all ready, JSON for scripts, exit 0', async () => {
    const run = await cli(['plan', '-d', LITE, '--config', registryConfig, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as EvaluationPlan;
    expect(plan.summary.problems).toBe(0);
    expect(plan.summary.ready).toBe(32);
    expect(plan.instances.every((p) => p.images?.length === 3 && p.spec_file?.endsWith(`${p.repo.replace('/', '__')}.yaml`))).toBe(true);
    expect(plan.pulls).toContain('python:3.9-slim');
  });

  it('evaluate --dry-run with the offline default: no unknown repo or version, the rest named by kind, exit 2', async () => {
    const run = await cli(['evaluate', '--dry-run', '-d', LITE, '-p', 'gold']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^13 ready, 19 with problems \(19 no_entry_for_source\), of 32; images\.source: offline$/m);
    expect(run.stdout).not.toMatch(/unknown_(repo|version)/);
    expect(run.stdout).toMatch(/pytest-dev__pytest-\d+\s+7\.0\s+ready\s+config\/specs\/pytest-dev__pytest\.yaml#0 \(offline\)\s+swe-harness\/instance:/);
  });

  it('names an unknown repository and the file to write, with no run id needed', async () => {
    const row = { instance_id: 'acme__rockets-1', repo: 'acme/rockets', base_commit: 'a'.repeat(40), patch: '', test_patch: '', problem_statement: 'p', version: '1.0', FAIL_TO_PASS: '["t"]', PASS_TO_PASS: '[]' };
    const dataset = path.join(dir, 'd.jsonl');
    writeFileSync(dataset, `${JSON.stringify(row)}\n`);
    const run = await cli(['evaluate', '--dry-run', '-d', dataset, '-p', 'empty', '--json']);
    expect(run.code).toBe(2);
    const plan = JSON.parse(run.stdout) as EvaluationPlan;
    expect(plan.summary.by_kind).toEqual({ unknown_repo: 1 });
    expect(plan.instances[0]?.problems[0]?.message).toContain('acme__rockets.yaml');
  });
});
