import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { RunSummary } from '../../src/report/summary.js';
import { SOURCE_FIXED } from '../helpers/python-task.js';
import { binaryPatchAgainst, crlfCommit, makeBadInputWorkspace, specFor, type BadInputWorkspace, type CliRun } from '../helpers/bad-input-workspace.js';

/**
 * Bad input through the real CLI (`node dist/src/cli/main.js evaluate`), a few batches of
 * several instances each, every batch with one good instance graded with its gold patch.
 * Each case shows three things: the message names the file, the instance and the field;
 * the instance is recorded with an error class (report.json and the run summary); and the
 * rest of the batch is graded all the same. Exit codes: 2 when some input had problems or an
 * evaluation errored, 0 when all is clean, 1 when the CLI could not run at all.
 *
 * Decisions pinned here (SWE-bench's behaviour where it has one):
 * - a patch whose lines end in CRLF is applied (strict git apply fails; GNU patch in the
 *   fallback chain strips the CRs, as it would in SWE-bench's chain) and graded normally;
 * - an LF patch on a file checked in with CRLF does not apply: PATCH_APPLY, unresolved, not an
 *   error (every step of SWE-bench's chain refuses it too); a patch made against the CRLF file does;
 * - a prediction for an id the dataset does not have is reported and skipped, and is not an
 *   error of the run (it is in neither total nor submitted).
 */

const GOOD = 'test__calc-1';
const F2P = 'tests/test_calc.py::test_add';

async function leftoverContainers(runId: string): Promise<number> {
  const list = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.run=${runId}`] }) });
  return list.length;
}

/** The lines of the CLI's output that mention `needle`. */
function linesWith(run: CliRun, needle: string): string[] {
  return run.output.split('\n').filter((line) => line.includes(needle));
}

/**
 * SWE-bench's counters partition the submitted instances: each is completed, an error or
 * incomplete, and nothing outside them is counted.
 */
function expectCountersAddUp(summary: RunSummary): void {
  const submitted = new Set(summary.submitted_ids);
  expect(summary.error_ids.filter((id) => !submitted.has(id)), 'errors outside submitted_ids').toEqual([]);
  expect(summary.completed_ids.filter((id) => !submitted.has(id)), 'completed outside submitted_ids').toEqual([]);
  expect(summary.completed_instances + summary.error_instances + summary.incomplete_ids.length).toBe(summary.submitted_instances);
  expect(summary.submitted_instances).toBeLessThanOrEqual(summary.total_instances);
}

function expectGoodResolved(ws: BadInputWorkspace, runId: string, model: string): void {
  const good = ws.report(runId, model, GOOD);
  expect(good, `${GOOD} has a report`).toBeDefined();
  expect(good).toMatchObject({ resolved: true, resolution: 'FULL', patch_successfully_applied: true });
  expect(good?.error).toBeUndefined();
  expect(ws.summary(runId, model).resolved_ids).toContain(GOOD);
}

let ws: BadInputWorkspace;
beforeAll(() => {
  ws = makeBadInputWorkspace();
});

describe('dataset files: malformed JSON, a bad JSONL line, missing and mistyped fields, duplicate ids', () => {
  const RUN = 'test-badinput-dataset';
  let run: CliRun;
  let dataDir: string;
  let jsonl: string;
  let json: string;
  let yamlFile: string;

  beforeAll(async () => {
    const noBase = ws.instance({ instance_id: 'test__calc-nobase' });
    delete noBase.base_commit;
    jsonl = ws.write('dataset-a/a.jsonl', [
      ws.instance({}),
      '{"instance_id": "test__calc-badline", "repo": "test/calc", "base_commit": ',
      noBase,
      ws.instance({ instance_id: 'test__calc-f2pnum', FAIL_TO_PASS: 5 }),
      ws.instance({ patch: '' }), // the same id again, with an empty gold patch
    ]);
    json = ws.write('dataset-a/b.json', `[${JSON.stringify(ws.instance({ instance_id: 'test__calc-injson' }))},\n{"instance_id": "test__calc-injson-2",\n`);
    yamlFile = ws.write('dataset-a/c.yaml', toYaml({ ...ws.instance({ instance_id: 'test__calc-yamlver' }), version: 0.1 }));
    dataDir = path.dirname(jsonl);
    expect(readFileSync(yamlFile, 'utf8')).toMatch(/^version: 0\.1$/m);
    run = await ws.cli(['evaluate', '--dataset', dataDir, '--predictions', 'gold', '--run-id', RUN, '-j', '2']);
  });

  it('exits 2 (input problems) and still resolves the good instance with gold', () => {
    expect(run.code, run.output).toBe(2);
    expectGoodResolved(ws, RUN, 'gold');
    expect(run.stderr).toContain('dataset problems (these records are skipped) (6):');
  });

  it('names the file of malformed JSON', () => {
    expect(linesWith(run, json)).toEqual([expect.stringMatching(/^\s*\S*b\.json: not valid JSON: /)]);
  });

  it('names the file and the line number of a bad JSONL line', () => {
    expect(linesWith(run, `${jsonl}:2`)).toEqual([expect.stringMatching(/a\.jsonl:2: not valid JSON: /)]);
  });

  it('names the file, line, instance and field of a missing base_commit, and records the instance as DATASET_INVALID', () => {
    expect(linesWith(run, `${jsonl}:3, instance test__calc-nobase, field base_commit:`)).toHaveLength(1);
    expect(ws.report(RUN, 'gold', 'test__calc-nobase')?.error).toMatchObject({ code: 'DATASET_INVALID', message: expect.stringContaining('field base_commit') });
  });

  it('names the field of a FAIL_TO_PASS that is a number, and records the instance as DATASET_INVALID', () => {
    expect(linesWith(run, `${jsonl}:4, instance test__calc-f2pnum, field FAIL_TO_PASS: expected a list of test names`)).toHaveLength(1);
    expect(ws.report(RUN, 'gold', 'test__calc-f2pnum')?.error).toMatchObject({ code: 'DATASET_INVALID', message: expect.stringContaining('field FAIL_TO_PASS') });
  });

  it('refuses a YAML version that is a number, telling to quote it, and records the instance as DATASET_INVALID', () => {
    expect(linesWith(run, `${yamlFile}:doc 1, instance test__calc-yamlver, field version: expected a string; quote it`)).toHaveLength(1);
    expect(ws.report(RUN, 'gold', 'test__calc-yamlver')?.error).toMatchObject({ code: 'DATASET_INVALID', message: expect.stringContaining('field version') });
  });

  it('counts the rejected instances as errors in the run summary', () => {
    const summary = ws.summary(RUN, 'gold');
    expect(summary.error_ids).toEqual(['test__calc-f2pnum', 'test__calc-nobase', 'test__calc-yamlver']);
    expect(summary.errors_by_code).toEqual({ DATASET_INVALID: 3 });
    expect(summary.resolved_instances).toBe(1);
  });

  it('keeps the summary counters consistent: rejected records are submitted errors, not empty patches', () => {
    expectCountersAddUp(ws.summary(RUN, 'gold'));
    expect(ws.summary(RUN, 'gold').empty_patch_ids).toEqual([]);
  });

  it('reports a duplicate id with where the first one is, and grades the first one', () => {
    expect(linesWith(run, `${jsonl}:5, instance ${GOOD}, field instance_id: duplicate id (first at ${jsonl}:1)`)).toHaveLength(1);
    const patch = readFileSync(path.join(ws.dir, 'runs', RUN, 'gold', GOOD, 'patch.diff'), 'utf8');
    expect(patch).toBe(ws.task.instance.patch);
    // Graded once: the duplicate is not a second submission.
    expect(ws.summary(RUN, 'gold').submitted_ids.filter((id) => id === GOOD)).toEqual([GOOD]);
  });
});

describe('predictions files: unknown instances, a non-string model_patch, a bad JSONL line', () => {
  const RUN = 'test-badinput-preds';
  let run: CliRun;
  let preds: string;

  beforeAll(async () => {
    const dataset = ws.write('dataset-b.jsonl', [
      ws.instance({}),
      ws.instance({ instance_id: 'test__calc-nonstr' }),
      ws.instance({ instance_id: 'test__calc-predline' }),
      ws.instance({ instance_id: 'test__calc-unselected' }),
    ]);
    preds = ws.write('preds-b.jsonl', [
      { instance_id: GOOD, model_name_or_path: 'm', model_patch: ws.task.instance.patch },
      { instance_id: 'test__calc-ghost', model_name_or_path: 'm', model_patch: ws.task.instance.patch },
      { instance_id: 'test__calc-nonstr', model_name_or_path: 'm', model_patch: 42 },
      '{"instance_id": "test__calc-predline", "model_name_or_path": "m", "model_patch": "diff --git',
      // In the dataset, left out by --filter: a full predictions file on a subset, the usual case.
      { instance_id: 'test__calc-unselected', model_name_or_path: 'm', model_patch: ws.task.instance.patch },
    ]);
    run = await ws.cli(['evaluate', '--dataset', dataset, '--predictions', preds, '--run-id', RUN, '--filter', '^test__calc-(1|nonstr|predline)$']);
  });

  it('exits 2 and still resolves the good instance', () => {
    expect(run.code, run.output).toBe(2);
    expectGoodResolved(ws, RUN, 'm');
    expect(run.stderr).toMatch(/prediction problems \(these predictions are skipped\) \(\d+\):/);
  });

  it('names the file, line and instance of a prediction for an unknown instance, and grades nothing for it', () => {
    expect(linesWith(run, `${preds}:2, instance test__calc-ghost, field instance_id: no such instance in the dataset`)).toHaveLength(1);
    const summary = ws.summary(RUN, 'm');
    expect(summary.submitted_ids).not.toContain('test__calc-ghost');
    expect(summary.resolved_ids).not.toContain('test__calc-ghost');
  });

  it('names the field of a model_patch that is not a string, and records the instance as PREDICTIONS_INVALID', () => {
    expect(linesWith(run, `${preds}:3, instance test__calc-nonstr, field model_patch:`)).toHaveLength(1);
    expect(ws.report(RUN, 'm', 'test__calc-nonstr')?.error).toMatchObject({ code: 'PREDICTIONS_INVALID', message: expect.stringContaining('field model_patch') });
    expect(ws.summary(RUN, 'm').error_ids).toContain('test__calc-nonstr');
  });

  it('keeps the summary counters consistent: an unknown id is not an error of this run, a bad prediction is a submitted error', () => {
    const summary = ws.summary(RUN, 'm');
    expectCountersAddUp(summary);
    expect(summary.error_ids).toEqual(['test__calc-nonstr']);
    expect(summary.empty_patch_ids).toEqual([]);
  });

  it('does not report a prediction for a dataset instance left out by --filter', () => {
    expect(linesWith(run, 'test__calc-unselected')).toEqual([]);
    expect(ws.report(RUN, 'm', 'test__calc-unselected')).toBeUndefined();
    expect(ws.summary(RUN, 'm').error_ids).not.toContain('test__calc-unselected');
  });

  it('names the file and line number of a bad predictions JSONL line', () => {
    expect(linesWith(run, `${preds}:4`)).toEqual([expect.stringMatching(/preds-b\.jsonl:4: not valid JSON: /)]);
  });
});

describe('patches: one that does not apply, binary, CRLF, empty', () => {
  const RUN = 'test-badinput-patches';
  const MODEL = 'patcher';
  let run: CliRun;
  const ids = {
    noApply: 'test__calc-noapply',
    binary: 'test__calc-binary',
    binaryBad: 'test__calc-binary-bad',
    crlfPatch: 'test__calc-crlf-patch',
    crlfRepo: 'test__calc-crlf-repo',
    crlfRepoOwn: 'test__calc-crlf-repo-own',
    blank: 'test__calc-blank',
    none: 'test__calc-none',
  };

  beforeAll(async () => {
    const { repo, instance } = ws.task;
    const blob = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    const crlfBase = crlfCommit(repo, instance.base_commit, SOURCE_FIXED.replace('a + b', 'a - b'));
    const patches: Record<string, string | null> = {
      [GOOD]: instance.patch,
      [ids.noApply]: instance.patch.replace('return a - b', 'return a - b - c - d'),
      [ids.binary]: binaryPatchAgainst(repo, instance.base_commit, { 'calc.py': SOURCE_FIXED, 'data/blob.bin': blob }),
      // Modifies a binary file the base does not have, alongside the right fix.
      [ids.binaryBad]: binaryPatchAgainst(repo, instance.base_commit, { 'calc.py': SOURCE_FIXED, 'data/blob.bin': Buffer.from(blob).reverse() }, { 'data/blob.bin': blob }),
      [ids.crlfPatch]: instance.patch.replace(/\n/g, '\r\n'),
      [ids.crlfRepo]: instance.patch,
      [ids.crlfRepoOwn]: repo.patchAgainst(crlfBase, { 'calc.py': SOURCE_FIXED.replace(/\n/g, '\r\n') }),
      [ids.blank]: '   \n',
      [ids.none]: null,
    };
    const onCrlf = new Set([ids.crlfRepo, ids.crlfRepoOwn]);
    const dataset = ws.write(
      'dataset-c.jsonl',
      Object.keys(patches).map((id) => ws.instance(id === GOOD ? {} : { instance_id: id, ...(onCrlf.has(id) ? { base_commit: crlfBase } : {}) })),
    );
    const preds = ws.write('preds-c.jsonl', Object.entries(patches).map(([id, patch]) => ({ instance_id: id, model_name_or_path: MODEL, model_patch: patch })));
    run = await ws.cli(['evaluate', '--dataset', dataset, '--predictions', preds, '--run-id', RUN, '-j', '2']);
  });

  it('exits 0: no input problems and no evaluation errors, only verdicts; the good instance resolves', async () => {
    expect(run.code, run.output).toBe(0);
    expectGoodResolved(ws, RUN, MODEL);
    expectCountersAddUp(ws.summary(RUN, MODEL));
    expect(await leftoverContainers(RUN)).toBe(0);
  });

  it('records a patch that applies in no way as PATCH_APPLY, unresolved, and not as an error', () => {
    expect(ws.report(RUN, MODEL, ids.noApply)).toMatchObject({ patch_successfully_applied: false, resolved: false, verdict_reason: { code: 'PATCH_APPLY' } });
    const summary = ws.summary(RUN, MODEL);
    expect(summary.unresolved_ids).toContain(ids.noApply);
    expect(summary.error_ids).not.toContain(ids.noApply);
  });

  it('applies a git binary patch (a new binary file alongside the fix) and grades it normally', () => {
    expect(ws.report(RUN, MODEL, ids.binary)).toMatchObject({ patch_successfully_applied: true, patch_apply_method: 'git apply', resolved: true });
  });

  it('records a binary patch that does not apply as PATCH_APPLY, even though its text part would', () => {
    expect(ws.report(RUN, MODEL, ids.binaryBad)).toMatchObject({ patch_successfully_applied: false, resolved: false, verdict_reason: { code: 'PATCH_APPLY' } });
  });

  it('applies a patch whose lines end in CRLF and resolves it (patch --fuzz=5 strips the CRs after git apply fails)', () => {
    expect(ws.report(RUN, MODEL, ids.crlfPatch)).toMatchObject({ patch_successfully_applied: true, resolved: true });
  });

  it('does not apply an LF patch to a file with CRLF endings (PATCH_APPLY, as SWE-bench), but applies a patch made against it', () => {
    expect(ws.report(RUN, MODEL, ids.crlfRepo)).toMatchObject({ patch_successfully_applied: false, resolved: false, verdict_reason: { code: 'PATCH_APPLY' } });
    expect(ws.report(RUN, MODEL, ids.crlfRepoOwn)).toMatchObject({ patch_successfully_applied: true, resolved: true });
  });

  it('grades a whitespace-only and a null patch as empty patches: tests run, nothing resolved, patch_is_None only for null', () => {
    const blank = ws.report(RUN, MODEL, ids.blank);
    const none = ws.report(RUN, MODEL, ids.none);
    expect(blank).toMatchObject({ patch_is_None: false, patch_exists: false, resolved: false });
    expect(none).toMatchObject({ patch_is_None: true, patch_exists: false, resolved: false });
    for (const r of [blank, none]) {
      expect(r?.error).toBeUndefined();
      expect(r?.tests_status?.FAIL_TO_PASS.failure).toEqual([F2P]);
    }
    const summary = ws.summary(RUN, MODEL);
    expect(summary.empty_patch_ids).toEqual([ids.blank, ids.none]);
    expect(summary).toMatchObject({ submitted_instances: 9, completed_instances: 9, error_instances: 0, empty_patch_instances: 2 });
    expect(summary.resolved_ids).toEqual([ids.binary, ids.crlfPatch, ids.crlfRepoOwn, GOOD].sort());
  });
});

describe('repos and specs: a missing base commit, an unknown log parser, broken spec files', () => {
  const RUN = 'test-badinput-specs';
  let run: CliRun;
  const specFiles: Record<string, string> = {};

  beforeAll(async () => {
    specFiles.parser = ws.writeSpec('calc-parser', specFor('calc-parser', (y) => y.replace('log_parser: pytest', 'log_parser: pytset')));
    specFiles.yaml = ws.writeSpec('calc-yaml', specFor('calc-yaml', (y) => y.replace('base: python', 'base: python\n   bad_indent: [')));
    specFiles.type = ws.writeSpec('calc-type', specFor('calc-type', (y) => y.replace('{test: 60}', '{test: "a minute"}')));
    specFiles.extra = ws.writeSpec('calc-extra', specFor('calc-extra', (y) => y.replace('log_parser: pytest', 'log_parser: pytest\n    test_command: "pytest"')));
    const dataset = ws.write('dataset-d.jsonl', [
      ws.instance({}),
      ws.instance({ instance_id: 'test__calc-nocommit', base_commit: 'deadbeef'.repeat(5) }),
      ws.instance({ instance_id: 'test__calc-parser', repo: 'test/calc-parser' }),
      ws.instance({ instance_id: 'test__calc-yaml', repo: 'test/calc-yaml' }),
      ws.instance({ instance_id: 'test__calc-type', repo: 'test/calc-type' }),
      ws.instance({ instance_id: 'test__calc-extra', repo: 'test/calc-extra' }),
    ]);
    run = await ws.cli(['evaluate', '--dataset', dataset, '--predictions', 'gold', '--run-id', RUN, '-j', '2']);
  });

  it('exits 2 (evaluation errors) and still resolves the good instance', () => {
    expect(run.code, run.output).toBe(2);
    expectGoodResolved(ws, RUN, 'gold');
    expect(ws.summary(RUN, 'gold')).toMatchObject({
      error_ids: ['test__calc-extra', 'test__calc-nocommit', 'test__calc-parser', 'test__calc-type', 'test__calc-yaml'],
      errors_by_code: { REPO_SOURCE: 1, PARSER_UNKNOWN: 1, SPEC_INVALID: 3 },
    });
  });

  it('records a base commit missing from the repo as REPO_SOURCE naming base_commit and the commit', () => {
    expect(run.output).toMatch(/test__calc-nocommit: error REPO_SOURCE/);
    const error = ws.report(RUN, 'gold', 'test__calc-nocommit')?.error;
    expect(error?.code).toBe('REPO_SOURCE');
    expect(error?.message).toContain('field base_commit');
    expect(error?.message).toContain('deadbeef'.repeat(5));
  });

  it('records an unknown log parser as PARSER_UNKNOWN naming the known parsers', () => {
    const error = ws.report(RUN, 'gold', 'test__calc-parser')?.error;
    expect(error?.code).toBe('PARSER_UNKNOWN');
    expect(error?.message).toContain('"pytset"');
    expect(error?.message).toMatch(/known parsers: .*pytest.*unittest/);
  });

  it('names the spec file and the field log_parser of an unknown parser, before building anything', () => {
    const report = ws.report(RUN, 'gold', 'test__calc-parser');
    expect(report?.error?.message).toContain(specFiles.parser!);
    expect(report?.error?.message).toMatch(/specs\.0\.log_parser|field log_parser/);
    expect(report?.images).toBeUndefined();
  });

  it('records invalid spec YAML as SPEC_INVALID naming the spec file', () => {
    const error = ws.report(RUN, 'gold', 'test__calc-yaml')?.error;
    expect(error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining(specFiles.yaml!) });
    expect(error?.message).toContain('not valid YAML');
  });

  it('records a spec field of the wrong type as SPEC_INVALID naming the file and the field path', () => {
    const error = ws.report(RUN, 'gold', 'test__calc-type')?.error;
    expect(error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining(specFiles.type!) });
    expect(error?.message).toContain('specs.0.timeouts.test');
  });

  it('records an unknown spec field as SPEC_INVALID naming the file, the path and the field', () => {
    const error = ws.report(RUN, 'gold', 'test__calc-extra')?.error;
    expect(error).toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining(specFiles.extra!) });
    expect(error?.message).toMatch(/specs\.0.*test_command/s);
  });

  it('leaves no grading container behind', async () => {
    expect(await leftoverContainers(RUN)).toBe(0);
  });

  it('prints why each instance errored (the field, the spec file), not only the error code', () => {
    expect(run.output).toContain('field base_commit');
    for (const file of [specFiles.yaml!, specFiles.type!, specFiles.extra!, specFiles.parser!]) expect(run.output).toContain(file);
    expect(run.output).toContain('specs.0.timeouts.test');
  });
});

describe('input the CLI cannot run on at all', () => {
  it('exits 1 naming a dataset file that does not exist', async () => {
    const missing = path.join(ws.dir, 'no-such-dataset.jsonl');
    const run = await ws.cli(['evaluate', '--dataset', missing, '--predictions', 'gold', '--run-id', 'test-badinput-nodataset']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error [DATASET_INVALID]: file ${missing}: no such file or folder`);
  });

  it('exits 1 naming a predictions file that does not exist', async () => {
    const dataset = ws.write('dataset-e.jsonl', [ws.instance({})]);
    const missing = path.join(ws.dir, 'no-such-preds.jsonl');
    const run = await ws.cli(['evaluate', '--dataset', dataset, '--predictions', missing, '--run-id', 'test-badinput-nopreds']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error [PREDICTIONS_INVALID]: file ${missing}: cannot read predictions`);
  });
});
