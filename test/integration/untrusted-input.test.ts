import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceResult } from '../../src/report/instance-result.js';
import type { RunSummary } from '../../src/report/summary.js';
import { makeBadInputWorkspace, runCli, specFor, type BadInputWorkspace, type CliRun } from '../helpers/bad-input-workspace.js';

/**
 * Issue 17: untrusted fields never choose a path, a tag, a shell word or markup. A dataset
 * record whose instance_id was `../../../tmp/x/escaped-instance` was reported as invalid, yet
 * its report.json was written outside runs/<run_id>/. Every case here goes through the real
 * CLI, run in a temp workspace (its cwd, run root, caches and session state all inside it),
 * and lists the WHOLE workspace tree before and after: nothing may change outside the run's
 * own folder, and nothing may appear outside the workspace (checked at the absolute paths the
 * hostile values name). The good records of each batch are still graded.
 */

const GOOD = 'test__calc-1';
const MARK = `untrusted-${process.pid}-${Date.now()}`;
const outside = path.join('/tmp', MARK);

const BAD_IDS: Record<string, string> = {
  relative: '../../../tmp/x/escaped-instance',
  deep: `${'../'.repeat(24)}tmp/${MARK}/escaped-instance`,
  absolute: `${outside}/absolute`,
  dotdot: '..',
  dot: '.',
  slash: 'test/calc-slash',
  nul: 'test__calc-nul\u0000.json',
  newline: 'test__calc-nl\nforged: RESOLVED',
  subst: '$(touch pwned-subst)',
  backtick: '`touch pwned-backtick`',
  semicolon: 'x;touch pwned-semicolon',
  long: 'a'.repeat(5000),
};

/** Every entry under `root` (relative path -> kind, size and content hash), symlinks not followed. */
function listTree(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        entries.set(rel, 'dir');
        walk(full);
      } else if (stat.isFile()) {
        entries.set(rel, `file ${stat.size} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
      } else {
        entries.set(rel, `other ${stat.mode}`);
      }
    }
  };
  walk(root);
  return entries;
}

/** Paths added, removed or changed between two listings. */
function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([p, v]) => before.get(p) !== v).map(([p]) => p);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  return [...changed, ...removed].sort();
}

function outsideFolder(changes: string[], folder: string): string[] {
  return changes.filter((p) => p !== folder && !p.startsWith(`${folder}${path.sep}`));
}

function linesWith(run: CliRun, needle: string): string[] {
  return run.output.split('\n').filter((line) => line.includes(needle));
}

let ws: BadInputWorkspace;
let configFile: string;
let cli: (args: string[]) => Promise<CliRun>;
let dataset: string;
const runs = () => path.join(ws.dir, 'runs');

function report(runId: string, modelDir: string, id: string): InstanceResult | undefined {
  const file = path.join(runs(), runId, modelDir, id, 'report.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, InstanceResult>)[id] : undefined;
}

function summary(runId: string, modelDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(runs(), runId, `${modelDir}.${runId}.json`), 'utf8')) as RunSummary;
}

beforeAll(async () => {
  ws = makeBadInputWorkspace();
  // The workspace's own config with session state inside it too: the CLI runs with the workspace as cwd.
  configFile = ws.write('untrusted-config.yaml', `${readFileSync(ws.configFile, 'utf8')}state_dir: ${JSON.stringify(path.join(ws.dir, 'state'))}\n`);
  cli = (args) => runCli([...args, '--config', configFile], ws.dir);
  dataset = ws.write('good.jsonl', [1, 2, 3, 4].map((n) => ws.instance({ instance_id: `test__calc-${n}` })));
  // Fill the caches (mirror, images, build logs) for the ids graded below, so the runs under
  // test may change nothing but their own run folder.
  const warm = await cli(['evaluate', '--dataset', dataset, '--predictions', 'gold', '--run-id', 'test-untrusted-warm', '--instance-ids', 'test__calc-1,test__calc-3']);
  expect(warm.code, warm.output).toBe(0);
});

afterAll(() => {
  expect(existsSync(outside), `${outside} was created`).toBe(false);
  expect(existsSync('/tmp/x/escaped-instance'), '/tmp/x/escaped-instance was created').toBe(false);
});

describe('dataset records with hostile ids, repos, commits, versions, sources and specs', () => {
  const RUN = 'test-untrusted-dataset';
  let run: CliRun;
  let changes: string[];
  let file: string;

  beforeAll(async () => {
    ws.writeSpec('specbase', specFor('specbase', (y) => y.replace('base: python', 'base: ../../../etc/evil')));
    ws.writeSpec('specenv', specFor('specenv', (y) => y.replace('log_parser: pytest', 'log_parser: pytest\n    env: {"A;touch pwned-env": "1"}')));
    ws.writeSpec('specrepo', specFor('specrepo').replace('repo: test/specrepo', 'repo: test/..'));
    const bad = Object.values(BAD_IDS).map((id) => ws.instance({ instance_id: id }));
    file = ws.write('hostile.jsonl', [
      ws.instance({}),
      ...bad,
      ws.instance({ instance_id: 'test__calc-repo1', repo: '../calc' }),
      ws.instance({ instance_id: 'test__calc-repo2', repo: 'test/..' }),
      ws.instance({ instance_id: 'test__calc-repo3', repo: `${outside}/repo` }),
      ws.instance({ instance_id: 'test__calc-commit', base_commit: '$(touch pwned-commit)' }),
      ws.instance({ instance_id: 'test__calc-envcommit', environment_setup_commit: '../../x' }),
      ws.instance({ instance_id: 'test__calc-version', version: '0.1;touch pwned-version' }),
      ws.instance({ instance_id: 'test__calc-source', repo_source: '--upload-pack=touch pwned-source' }),
      ws.instance({ instance_id: 'test__calc-created', created_at: '2024\nforged: RESOLVED' }),
      ws.instance({ instance_id: 'test__specbase-1', repo: 'test/specbase' }),
      ws.instance({ instance_id: 'test__specenv-1', repo: 'test/specenv' }),
      ws.instance({ instance_id: 'test__specrepo-1', repo: 'test/specrepo' }),
    ]);
    const before = listTree(ws.dir);
    run = await cli(['evaluate', '--dataset', file, '--predictions', 'gold', '--run-id', RUN]);
    changes = treeChanges(before, listTree(ws.dir));
  });

  it('writes nothing outside runs/<run_id>/ (the whole workspace listed before and after)', () => {
    expect(changes.length, 'the run wrote its reports').toBeGreaterThan(0);
    expect(outsideFolder(changes, path.join('runs', RUN))).toEqual([]);
    expect(existsSync(outside)).toBe(false);
  });

  it('grades the good record all the same, and exits 2 for the input problems', () => {
    expect(run.code, run.output).toBe(2);
    expect(report(RUN, 'gold', GOOD)).toMatchObject({ resolved: true, resolution: 'FULL' });
  });

  it('gives no folder to a rejected id that is not a safe name, and records it in the run summary', () => {
    const folders = readdirSync(path.join(runs(), RUN, 'gold'));
    for (const id of Object.values(BAD_IDS)) expect(folders).not.toContain(id);
    expect(folders.every((f) => /^[\w.-]+$/.test(f) && f !== '.' && f !== '..')).toBe(true);
    const s = summary(RUN, 'gold');
    for (const id of Object.values(BAD_IDS)) expect(s.error_ids, JSON.stringify(id).slice(0, 60)).toContain(id);
    expect(s.resolved_ids).toEqual([GOOD]);
  });

  it('names the file, the line and the field instance_id of each hostile id', () => {
    Object.values(BAD_IDS).forEach((id, i) => {
      const line = `${file}:${i + 2}, instance `;
      const found = linesWith(run, line);
      expect(found, `line ${i + 2}: ${JSON.stringify(id).slice(0, 60)}`).toHaveLength(1);
      expect(found[0]).toContain('field instance_id:');
    });
  });

  it('prints a hostile id escaped and cut short: a newline cannot forge a line, a long id cannot flood the terminal', () => {
    expect(run.output.split('\n').filter((l) => /^\s*forged: RESOLVED/.test(l))).toEqual([]);
    expect(run.output).toContain(JSON.stringify(BAD_IDS.newline));
    expect(run.output).not.toContain('\u0000');
    expect(run.output).not.toContain('a'.repeat(200));
  });

  it('refuses repos, commits, versions and sources that could become paths, options or shell words, naming the field', () => {
    const cases: Array<[string, string]> = [
      ['test__calc-repo1', 'repo'],
      ['test__calc-repo2', 'repo'],
      ['test__calc-repo3', 'repo'],
      ['test__calc-commit', 'base_commit'],
      ['test__calc-envcommit', 'environment_setup_commit'],
      ['test__calc-version', 'version'],
      ['test__calc-source', 'repo_source'],
      ['test__calc-created', 'created_at'],
    ];
    for (const [id, field] of cases) {
      expect(linesWith(run, `instance ${id}, field ${field}:`), id).toHaveLength(1);
      expect(report(RUN, 'gold', id)?.error, id).toMatchObject({ code: 'DATASET_INVALID' });
    }
  });

  it('refuses spec files whose base, env names or repo would become a path, a shell word or a tag', () => {
    expect(report(RUN, 'gold', 'test__specbase-1')?.error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringMatching(/test__specbase\.yaml.*base: a template name/s) });
    expect(report(RUN, 'gold', 'test__specenv-1')?.error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining('is not a variable name') });
    expect(report(RUN, 'gold', 'test__specrepo-1')?.error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining('expected owner/name') });
  });
});

describe('predictions with hostile ids and model names', () => {
  const RUN = 'test-untrusted-preds';
  let run: CliRun;
  let changes: string[];
  let preds: string;

  beforeAll(async () => {
    const patch = ws.task.instance.patch;
    preds = ws.write('hostile-preds.jsonl', [
      { instance_id: GOOD, model_name_or_path: '../../escaped-model', model_patch: patch },
      { instance_id: BAD_IDS.relative, model_name_or_path: '../../escaped-model', model_patch: patch },
      { instance_id: 'test__calc-2', model_name_or_path: 'evil\nmodel', model_patch: patch },
      { instance_id: 'test__calc-3', model_name_or_path: '..', model_patch: patch },
      { instance_id: 'test__calc-4', model_name_or_path: 'm'.repeat(300), model_patch: patch },
    ]);
    const before = listTree(ws.dir);
    run = await cli(['evaluate', '--dataset', dataset, '--predictions', preds, '--run-id', RUN]);
    changes = treeChanges(before, listTree(ws.dir));
  });

  it('writes nothing outside runs/<run_id>/', () => {
    expect(outsideFolder(changes, path.join('runs', RUN))).toEqual([]);
    expect(existsSync(path.join(ws.dir, 'escaped-model'))).toBe(false);
  });

  it('grades a model named ../../escaped-model in its own folder inside the run, as SWE-bench names it (/ -> __)', () => {
    expect(run.code, run.output).toBe(2);
    expect(report(RUN, '..__..__escaped-model', GOOD)).toMatchObject({ resolved: true, model_name_or_path: '../../escaped-model' });
  });

  it('grades a model named .. in a folder that is a safe name, not the run folder itself', () => {
    const folder = readdirSync(path.join(runs(), RUN)).find((f) => f.startsWith('..-'));
    expect(folder).toMatch(/^\.\.-[0-9a-f]{12}$/);
    expect(report(RUN, folder as string, 'test__calc-3')).toMatchObject({ resolved: true, model_name_or_path: '..' });
  });

  it('refuses a hostile prediction id, a model name with a newline and an overlong one, naming line and field', () => {
    expect(linesWith(run, `${preds}:2, instance ${BAD_IDS.relative}, field instance_id:`)).toHaveLength(1);
    expect(linesWith(run, `${preds}:3, instance test__calc-2, field model_name_or_path: no control characters`)).toHaveLength(1);
    expect(linesWith(run, `${preds}:4`)).toEqual([]);
    expect(linesWith(run, `${preds}:5, instance test__calc-4, field model_name_or_path:`)).toHaveLength(1);
    expect(run.output.split('\n').filter((l) => l.startsWith('model'))).toEqual([]);
  });
});

describe('command-line values: --run-id, --instance-ids', () => {
  const BAD_RUN_IDS = ['..', '.', '../escaped-run', `${outside}/run`, 'a/b', '$(touch pwned-run)', 'x'.repeat(300), 'a\nb', ''];

  it.each(BAD_RUN_IDS.map((id) => [JSON.stringify(id).slice(0, 40), id]))('evaluate and run refuse --run-id %s and write nothing at all', async (_name, id) => {
    const before = listTree(ws.dir);
    const evaluate = await cli(['evaluate', '--dataset', dataset, '--predictions', 'gold', '--run-id', id]);
    expect(evaluate.code, evaluate.output).toBe(1);
    expect(evaluate.stderr).toContain('error [USAGE]: --run-id is required (letters, digits, _ . -');
    const agents = await cli(['run', '--dataset', dataset, '--agent', 'gold', '--run-id', id]);
    expect(agents.code, agents.output).toBe(1);
    expect(agents.stderr).toContain('--run-id');
    expect(treeChanges(before, listTree(ws.dir))).toEqual([]);
  });

  it('reports a hostile --instance-ids value as unknown, escaped, and grades the good one', async () => {
    const RUN = 'test-untrusted-ids';
    const before = listTree(ws.dir);
    const run = await cli(['evaluate', '--dataset', dataset, '--predictions', 'gold', '--run-id', RUN, '--instance-ids', GOOD, '--instance-ids', '../../../tmp/x/escaped-ids']);
    expect(run.code, run.output).toBe(2);
    expect(linesWith(run, 'instance ../../../tmp/x/escaped-ids, field instance_id: no such instance (from --instance-ids)')).toHaveLength(1);
    expect(report(RUN, 'gold', GOOD)).toMatchObject({ resolved: true });
    expect(outsideFolder(treeChanges(before, listTree(ws.dir)), path.join('runs', RUN))).toEqual([]);
  });
});

describe('session ids and snapshot names', () => {
  let victim: string;
  let sessionId = '';

  beforeAll(() => {
    // A file shaped like session state, one level above the state folder: `session stop ../../victim` must not remove it.
    victim = ws.write('victim.json', JSON.stringify({ note: 'not a session' }));
  });

  afterAll(async () => {
    if (sessionId) await cli(['session', 'stop', sessionId]);
  });

  it.each([['../../victim'], [`${outside}/s`], ['..'], ['s-1;touch pwned-session'], ['s'.repeat(300)]])('session stop|read|exec and mcp --session refuse session id %s and touch nothing', async (id) => {
    const before = listTree(ws.dir);
    for (const args of [['session', 'stop', id], ['session', 'read', id, 'calc.py'], ['session', 'exec', id, '--', 'true'], ['mcp', '--dataset', dataset, '--instance', GOOD, '--session', id]]) {
      const run = await cli(args);
      expect(run.code, `${args.join(' ')}: ${run.output}`).toBe(1);
      expect(run.stderr).toMatch(/error \[UNSAFE_INPUT\]: session id .* (may hold only|may not be|characters long)/);
    }
    expect(treeChanges(before, listTree(ws.dir))).toEqual([]);
    expect(readFileSync(victim, 'utf8')).toContain('not a session');
  });

  it('session start refuses a hostile --run-id before it starts anything', async () => {
    const before = listTree(ws.dir);
    const run = await cli(['session', 'start', '--dataset', dataset, '--instance', GOOD, '--run-id', '../escaped-session']);
    expect(run.code, run.output).toBe(1);
    expect(run.stderr).toContain('error [UNSAFE_INPUT]: run id ../escaped-session may hold only');
    expect(treeChanges(before, listTree(ws.dir))).toEqual([]);
  });

  it('session snapshot refuses hostile names, keeps a good one, and writes only its own state file', async () => {
    const started = await cli(['session', 'start', '--dataset', dataset, '--instance', GOOD, '--run-id', 'test-untrusted-session']);
    expect(started.code, started.output).toBe(0);
    sessionId = started.stdout.trim();
    const before = listTree(ws.dir);
    for (const name of ['../../escaped-snap', 'a/b', '..', 'a;touch pwned-snap', '$(id)', 'n'.repeat(300), 'a\nb']) {
      const run = await cli(['session', 'snapshot', sessionId, name]);
      expect(run.code, `${JSON.stringify(name)}: ${run.output}`).toBe(1);
      expect(run.stderr).toContain('error [UNSAFE_INPUT]: snapshot name');
    }
    expect(treeChanges(before, listTree(ws.dir))).toEqual([]);
    const good = await cli(['session', 'snapshot', sessionId, 'good-snap']);
    expect(good.code, good.output).toBe(0);
    expect(treeChanges(before, listTree(ws.dir))).toEqual([path.join('state', 'sessions', `${sessionId}.json`)]);
  });
});

// The CLI ran in the workspace; its own checkout must not have gained files named by hostile values either.
it('leaves the harness checkout without files named by hostile values', () => {
  const stray = readdirSync(process.cwd()).filter((f) => f.startsWith('pwned') || f === 'tmp' || f.includes('escaped'));
  expect(stray).toEqual([]);
});
