import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { mineTasks, type MineRequest } from '../../src/run/mine-tasks.js';
import { CLI } from '../helpers/cli-process.js';
import { GitFixture } from '../helpers/git-fixture.js';
import { goRepo, javascriptRepo, pythonRepo, type MinedRepo } from '../helpers/mining-repos.js';

const run = promisify(execFile);

/** The CLI in `cwd`, as a user runs it there: runs/, .swe-harness/ and the config defaults are its own. */
async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface MiningFile {
  kept: string[];
  rejected: Array<{ commit: string; reason: string; detail: string }>;
  byReason: Record<string, number>;
}

/** Commit -> 'kept' or its rejection reason, read from the summary `tasks mine` writes. */
function outcomes(out: string): Record<string, string> {
  const summary = JSON.parse(readFileSync(`${out}.mining.json`, 'utf8')) as MiningFile;
  const dataset = readDataset(out);
  return {
    ...Object.fromEntries(summary.rejected.map((r) => [r.commit, r.reason])),
    ...Object.fromEntries(dataset.map((i) => [i.provenance.commit, 'kept'])),
  };
}

type Mined = { instance_id: string; FAIL_TO_PASS: string[]; PASS_TO_PASS: string[]; problem_statement: string; repo_source: string; provenance: { commit: string; merge: boolean } };

function readDataset(out: string): Mined[] {
  return readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Mined);
}

/** evaluate with no flag but the dataset, the predictions and the run id: the dataset is self-sufficient. */
async function expectGoldResolvesEmptyNot(cwd: string, out: string, kept: number): Promise<void> {
  const gold = await cli(cwd, 'evaluate', '--dataset', out, '--predictions', 'gold', '--run-id', 'gold');
  expect(gold.stdout + gold.stderr).toContain(`gold: ${kept}/${kept} resolved`);
  const empty = await cli(cwd, 'evaluate', '--dataset', out, '--predictions', 'empty', '--run-id', 'empty');
  expect(empty.stdout + empty.stderr).toContain(`empty: 0/${kept} resolved`);
}

function workDir(name: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mine-test-')), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function request(repo: MinedRepo, cwd: string, extra: Partial<MineRequest> = {}): MineRequest {
  const config = loadHarnessConfig(undefined, { run: { root: path.join(cwd, 'runs'), concurrency: 2 }, repo_cache: path.join(cwd, 'repos') });
  return { config, source: repo.fixture.dir, repo: `local/${path.basename(repo.fixture.dir)}`, paths: [], merges: false, repeats: 2, issues: new Map(), minStatementWords: 0, out: path.join(cwd, 'tasks.jsonl'), concurrency: 2, ...extra };
}

describe('tasks mine (real git histories, real Docker)', () => {
  // The three histories are mined side by side: most of the time is spent waiting on Docker.
  it.concurrent('Python: a clean fix and a merged branch fix kept; code only, tests only, docs and a flaky fix rejected with their reasons', async () => {
    const repo = pythonRepo();
    const cwd = workDir('py');
    writeFileSync(path.join(cwd, 'issues.json'), JSON.stringify({ '7': 'sub is backwards: sub(5, 3) returns -2' }));
    const out = path.join(cwd, 'tasks.jsonl');
    const mined = await cli(cwd, 'tasks', 'mine', '--repo', repo.fixture.dir, '--out', out, '--repeats', '2', '-j', '2', '--issues', 'issues.json');
    expect(mined.stderr).not.toMatch(/error/i);
    expect(mined.code).toBe(0);
    expect(mined.stdout).toMatch(/candidates \(code \+ tests\)\s+3/);
    expect(mined.stdout).toMatch(/rejected: flaky\s+1/);
    expect(outcomes(out)).toEqual(repo.expected);
    const byCommit = new Map(readDataset(out).map((i) => [i.provenance.commit, i]));
    const fix = [...byCommit.values()].find((i) => i.FAIL_TO_PASS.includes('tests/test_ops.py::test_sub'));
    expect(fix).toMatchObject({ FAIL_TO_PASS: ['tests/test_ops.py::test_sub'], PASS_TO_PASS: ['tests/test_ops.py::test_add'] });
    expect(fix?.problem_statement).toContain('sub is backwards');
    // The drafted spec is where the dataset's evaluation finds it, for the user to review.
    expect(readdirSync(path.join(cwd, 'specs'))).toEqual(['local__pycalc.yaml']);
    await expectGoldResolvesEmptyNot(cwd, out, 2);

    // A rerun decides nothing again (keyed on commit and spec hashes) and writes the same dataset.
    const before = readFileSync(out, 'utf8');
    const again = await cli(cwd, 'tasks', 'mine', '--repo', repo.fixture.dir, '--out', out, '--repeats', '2');
    expect(again.code).toBe(0);
    expect(again.stderr.match(/\(earlier run\)/g)).toHaveLength(3);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it.concurrent("JavaScript (node's runner): a fix merged from a branch, mined with --merges", async () => {
    const repo = javascriptRepo();
    const cwd = workDir('js');
    const outcome = await mineTasks(request(repo, cwd, { merges: true }));
    expect(outcome).toMatchObject({ commits: 1, candidates: 1, drafted: true });
    expect(outcomes(outcome.out)).toEqual(repo.expected);
    expect(outcome.kept[0]).toMatchObject({ FAIL_TO_PASS: ['trims'], PASS_TO_PASS: ['lower-cases'], provenance: { merge: true } });
    await expectGoldResolvesEmptyNot(cwd, outcome.out, 1);

    // validate: the mined instance is sound; a copy that lists a test nobody wrote is broken.
    const good = readFileSync(outcome.out, 'utf8').trim();
    const ghost = { ...JSON.parse(good), instance_id: 'local__slugs-ghost', FAIL_TO_PASS: ['trims', 'ghost'] };
    writeFileSync(path.join(cwd, 'two.jsonl'), `${good}\n${JSON.stringify(ghost)}\n`);
    const checked = await cli(cwd, 'tasks', 'validate', '--dataset', 'two.jsonl', '--repeats', '2', '-j', '2', '--out', 'clean.jsonl');
    expect(checked.stdout).toContain('2 instance(s): 1 ok, 0 flaky, 1 broken, 0 error(s)');
    expect(checked.stdout).toMatch(/local__slugs-ghost\s+broken\s+the gold patch does not resolve it/);
    expect(checked.code).toBe(1);
    expect(readDataset(path.join(cwd, 'clean.jsonl'))).toEqual([JSON.parse(good)]);
  });

  it.concurrent('Go: a clean fix kept; a fix whose tests do not build rejected as build_failed', async () => {
    const repo = goRepo();
    const cwd = workDir('go');
    const outcome = await mineTasks(request(repo, cwd));
    expect(outcomes(outcome.out)).toEqual(repo.expected);
    expect(outcome.kept[0]).toMatchObject({ FAIL_TO_PASS: ['TestAbsNegative'], PASS_TO_PASS: ['TestAbsPositive'] });
    expect(outcome.rejected.find((r) => r.reason === 'build_failed')?.detail).toContain('Maximum');
    await expectGoldResolvesEmptyNot(cwd, outcome.out, 1);
  });

  it.concurrent('a drafted spec whose environment does not build stops mining, naming the spec file to edit', async () => {
    const f = new GitFixture('needsdeps');
    f.commit('app', { 'requirements.txt': 'no-such-package-swe-harness==1.0\n', 'app.py': 'def f():\n    return 1\n', 'tests/test_app.py': 'import app\n\n\ndef test_f():\n    assert app.f() == 1\n' });
    f.commit('Fix f\n\nf should return 2.', { 'app.py': 'def f():\n    return 2\n', 'tests/test_app.py': 'import app\n\n\ndef test_f():\n    assert app.f() == 2\n' });
    const cwd = workDir('draft');
    const spec = path.join(cwd, 'specs', 'local__needsdeps.yaml');
    await expect(mineTasks(request({ fixture: f, expected: {} }, cwd))).rejects.toThrow(`edit ${spec}`);
    expect(readFileSync(spec, 'utf8')).toContain('python3-no-such-package-swe-harness');
    expect(existsSync(path.join(cwd, 'tasks.jsonl'))).toBe(false);
  });

  it('bad input: not a repository, an unknown branch, an unparsable date, a repository with no tests; nothing written', async () => {
    const cwd = workDir('bad');
    const noTests = new GitFixture('notests');
    noTests.commit('one', { 'app.py': 'x = 1\n' });
    noTests.commit('two', { 'app.py': 'x = 2\n' });
    const repo = { fixture: noTests, expected: {} };
    const cases: Array<[Partial<MineRequest>, RegExp]> = [
      [{ source: cwd }, /is not a git repository/],
      [{ source: path.join(cwd, 'nowhere') }, /no such folder/],
      [{ branch: 'nope' }, /no branch or commit "nope"/],
      [{ since: 'last tuesday-ish' }, /--since takes a date/],
      [{}, /no test files at the tip/],
    ];
    for (const [extra, message] of cases) {
      await expect(mineTasks(request(repo, cwd, extra))).rejects.toThrow(message);
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(path.join(cwd, 'tasks.jsonl'))).toBe(false);
  });
});
