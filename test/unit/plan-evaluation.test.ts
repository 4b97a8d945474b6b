import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { planEvaluation } from '../../src/evaluation/plan-evaluation.js';
import { loadDataset } from '../../src/instance/load-dataset.js';

/**
 * Real SWE-bench Lite rows (SWE-bench is MIT-licensed), one per repo and version of the test
 * split's pytest and requests instances and of the dev split; problem texts cut to 300
 * characters and PASS_TO_PASS to 20 tests, which planning does not read.
 */
const LITE = path.resolve(__dirname, '../fixtures/datasets/swe-bench-lite-plan.jsonl');
/** Every version of SWE-bench's per-version table, per repository (the facts the specs carry). */
const VERSIONS = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/datasets/swe-bench-versions.json'), 'utf8')) as Record<string, string[]>;
/** The full local copies, when this checkout has the shared data beside it (CI does), or SHARED_DATA names it. */
const SHARED = path.join(process.env.SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data'), 'swe-bench-lite');

const registry = loadHarnessConfig(undefined, { images: { source: 'registry' } });
const offline = loadHarnessConfig(undefined, { images: { source: 'offline' } });

describe('planEvaluation', () => {
  it('finds a registry spec entry and three images for every Lite row', () => {
    const { instances, problems } = loadDataset(LITE);
    expect(problems).toEqual([]);
    const plan = planEvaluation({ config: registry, instances });
    expect(plan.summary).toEqual({ total: instances.length, ready: instances.length, problems: 0, by_kind: {} });
    for (const p of plan.instances) {
      expect(p.spec_entry?.source).toBe('registry');
      expect(p.images?.map((i) => i.kind)).toEqual(['base', 'env', 'instance']);
      expect(p.pulls?.[0]).toMatch(/^python:3\.\d+-slim$/);
    }
    const django = planEvaluation({ config: registry, instances: [{ ...instances[0]!, repo: 'django/django', version: '3.0', test_patch: 'diff --git a/tests/admin_views/tests.py b/tests/admin_views/tests.py\n--- a/tests/admin_views/tests.py\n+++ b/tests/admin_views/tests.py\n@@ -1 +1 @@\n-a\n+b\n' }] });
    expect(django.instances[0]?.test_command).toBe('./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 admin_views.tests');
    expect(django.instances[0]?.log_parser).toBe('django');
  });

  it('offline: no unknown repo or version; versions without an offline entry say so', () => {
    const { instances } = loadDataset(LITE);
    const plan = planEvaluation({ config: offline, instances });
    expect(plan.summary.by_kind.unknown_repo).toBeUndefined();
    expect(plan.summary.by_kind.unknown_version).toBeUndefined();
    const ready = plan.instances.filter((p) => p.ready).map((p) => `${p.repo} ${p.version}`).sort();
    expect(ready).toEqual(['marshmallow-code/marshmallow 2.20', 'marshmallow-code/marshmallow 3.0', 'psf/requests 2.10', 'psf/requests 2.3', 'psf/requests 2.4', 'psf/requests 2.7', 'pylint-dev/astroid 2.10', 'pylint-dev/astroid 2.12', 'pylint-dev/astroid 2.13', 'pylint-dev/astroid 2.14', 'pylint-dev/astroid 2.9', 'pytest-dev/pytest 7.0', 'pytest-dev/pytest 8.0']);
    expect(plan.instances.find((p) => p.ready)?.images?.[0]?.from).toBe('swe-harness/os:bookworm');
    expect(plan.pulls).toEqual([]);
  });

  it.each(Object.entries(VERSIONS))('has a registry entry for every SWE-bench version of %s', (repo, versions) => {
    const specs = SpecRegistry.forConfig(registry);
    for (const version of versions) expect(specs.resolve(repo, version).env.source, `${repo} ${version}`).toBe('registry');
  });

  it.skipIf(!existsSync(SHARED))('finds a spec for every instance of the shared Lite test and dev splits', () => {
    for (const file of ['test-pytest-dev__pytest.jsonl', 'test-psf__requests.jsonl', 'dev.jsonl']) {
      const { instances, problems } = loadDataset(path.join(SHARED, file));
      expect(problems).toEqual([]);
      const plan = planEvaluation({ config: registry, instances });
      expect(plan.summary.problems, file).toBe(0);
      expect(plan.summary.total).toBe(instances.length);
    }
  });

  it('sorts problems by kind: unknown repo, unknown version, bad spec, no prediction, bad record', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plan-specs-'));
    writeFileSync(path.join(dir, 'acme__ok.yaml'), 'repo: acme/ok\nspecs:\n  - versions: ["1.0"]\n    base: python\n    test_cmd: "pytest {tests}"\n    log_parser: pytest\n');
    writeFileSync(path.join(dir, 'acme__bad.yaml'), 'repo: acme/bad\nspecs:\n  - versions: ["1.0"]\n    base: python\n    test_cmd: "pytest"\n    log_parser: pytest\n    colour: red\n');
    writeFileSync(path.join(dir, 'acme__parser.yaml'), 'repo: acme/parser\nspecs:\n  - versions: ["1.0"]\n    base: python\n    test_cmd: "pytest"\n    log_parser: nosuch\n');
    const config = { ...offline, spec_dirs: [dir] };
    const { instances } = loadDataset(LITE);
    const row = instances[0]!;
    const rows = [
      { ...row, instance_id: 'a-1', repo: 'acme/ok', version: '1.0' },
      { ...row, instance_id: 'a-2', repo: 'acme/none', version: '1.0' },
      { ...row, instance_id: 'a-3', repo: 'acme/ok', version: '9.9' },
      { ...row, instance_id: 'a-4', repo: 'acme/bad', version: '1.0' },
      { ...row, instance_id: 'a-5', repo: 'acme/parser', version: '1.0' },
    ];
    const plan = planEvaluation({
      config,
      instances: rows,
      predictionIds: new Set(['a-1', 'a-2', 'a-3', 'a-4', 'a-5'].filter((id) => id !== 'a-3')),
      rejected: [{ file: 'd.jsonl', location: '7', instanceId: 'a-6', field: 'base_commit', message: 'expected string' }],
    });
    const kinds = Object.fromEntries(plan.instances.map((p) => [p.instance_id, p.problems.map((x) => x.kind)]));
    expect(kinds).toEqual({
      'a-1': [],
      'a-2': ['unknown_repo'],
      'a-3': ['no_prediction', 'unknown_version'],
      'a-4': ['bad_spec'],
      'a-5': ['unknown_parser'],
      'a-6': ['bad_record'],
    });
    expect(plan.summary).toEqual({ total: 6, ready: 1, problems: 5, by_kind: { unknown_repo: 1, no_prediction: 1, unknown_version: 1, bad_spec: 1, unknown_parser: 1, bad_record: 1 } });
    expect(plan.instances[3]?.problems[0]?.message).toMatch(/colour/);
  });
});
