import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { parseRepoSpec, SpecRegistry } from '../../src/config/spec-registry.js';
import { versionInRange } from '../../src/config/version-range.js';
import { HarnessError } from '../../src/errors.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { formatDirectives, patchFiles, testDirectives } from '../../src/test-spec/patch-files.js';
import { makeTestSpec } from '../../src/test-spec/test-spec.js';

const SPEC = `repo: acme/widgets
specs:
  - versions: ["1.0"]
    version_range: ">=2.0 <3"
    base: python
    system_packages: [python3-pytest]
    install: ["pip install -e ."]
    test_cmd: "pytest -rA {tests}"
    log_parser: pytest
`;

function specDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'specs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const TEST_PATCH = `diff --git a/tests/test_a.py b/tests/test_a.py
--- a/tests/test_a.py
+++ b/tests/test_a.py
@@ -1 +1,2 @@
 x
+y
diff --git a/tests/test_new.py b/tests/test_new.py
new file mode 100644
--- /dev/null
+++ b/tests/test_new.py
@@ -0,0 +1 @@
+z
diff --git a/tests/data.json b/tests/data.json
--- a/tests/data.json
+++ b/tests/data.json
@@ -1 +1 @@
-{}
+[]
diff --git a/tests/test_old.py b/tests/test_old.py
deleted file mode 100644
--- a/tests/test_old.py
+++ /dev/null
@@ -1 +0,0 @@
-q
`;

describe('version ranges', () => {
  it('compares dotted versions numerically', () => {
    expect(versionInRange('7.10', '>=7.2 <8')).toBe(true);
    expect(versionInRange('8.0', '>=7.2,<8')).toBe(false);
    expect(versionInRange('0.12', '==0.12')).toBe(true);
  });
});

describe('SpecRegistry', () => {
  it('finds the entry by exact version or range', () => {
    const registry = new SpecRegistry([specDir({ 'acme__widgets.yaml': SPEC })]);
    expect(registry.resolve('acme/widgets', '1.0').env.log_parser).toBe('pytest');
    expect(registry.resolve('acme/widgets', '2.5').env.timeouts.test).toBe(1800);
  });

  it('names the spec file to write for an unknown repo', () => {
    const dir = specDir({});
    try {
      new SpecRegistry([dir]).resolve('other/thing', '1.0', 'other__thing-1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).code).toBe('SPEC_NOT_FOUND');
      expect((err as HarnessError).message).toContain(path.join(dir, 'other__thing.yaml'));
    }
  });

  it('reports every problem of a bad spec with its field path', () => {
    const bad = 'repo: acme/widgets\nspecs:\n  - versions: ["1"]\n    base: python\n    log_parser: 3\n    color: red\n';
    expect(() => parseRepoSpec(bad, 'bad.yaml')).toThrowError(/specs\.0\.test_cmd[\s\S]*specs\.0\.log_parser|specs\.0\.log_parser[\s\S]*specs\.0\.test_cmd/);
  });
});

describe('patchFiles / testDirectives', () => {
  it('reads modified, added and deleted paths from a git diff', () => {
    expect(patchFiles(TEST_PATCH)).toEqual({
      modified: ['tests/test_a.py', 'tests/data.json', 'tests/test_old.py'],
      added: ['tests/test_new.py'],
      deleted: ['tests/test_old.py'],
    });
  });

  it('runs test files only, as SWE-bench does: no data files, no deleted files', () => {
    expect(testDirectives(TEST_PATCH)).toEqual(['tests/test_a.py', 'tests/test_new.py']);
  });
});

describe('makeTestSpec', () => {
  const instance = {
    instance_id: 'acme__widgets-1',
    repo: 'acme/widgets',
    base_commit: 'c'.repeat(40),
    patch: '',
    test_patch: TEST_PATCH,
    problem_statement: '',
    hints_text: '',
    created_at: '',
    version: '1.0',
    FAIL_TO_PASS: ['tests/test_new.py::test_z'],
    PASS_TO_PASS: [],
  } as Instance;
  const config = loadHarnessConfig();
  const registry = new SpecRegistry([specDir({ 'acme__widgets.yaml': SPEC })]);

  it('keys images on content: same recipe same tags, changed recipe new tags', () => {
    const a = makeTestSpec(instance, registry.resolve('acme/widgets', '1.0'), config);
    const b = makeTestSpec(instance, registry.resolve('acme/widgets', '1.0'), config);
    expect(b.instanceImage.tag).toBe(a.instanceImage.tag);
    expect(b.specHash).toBe(a.specHash);
    const changed = parseRepoSpec(SPEC.replace('python3-pytest', 'python3-pytest python3-yaml'), 'x.yaml');
    const c = makeTestSpec(instance, { repo: changed, env: changed.specs[0]!, file: 'x.yaml' }, config);
    expect(c.base.tag).toBe(a.base.tag);
    expect(c.envImage.tag).not.toBe(a.envImage.tag);
    expect(c.instanceImage.tag).not.toBe(a.instanceImage.tag);
    const other = makeTestSpec({ ...instance, base_commit: 'd'.repeat(40) }, registry.resolve('acme/widgets', '1.0'), config);
    expect(other.envImage.tag).toBe(a.envImage.tag);
    expect(other.instanceImage.tag).not.toBe(a.instanceImage.tag);
  });

  it('fills the test command and writes an eval script that resets, applies and marks', () => {
    const spec = makeTestSpec(instance, registry.resolve('acme/widgets', '1.0'), config);
    expect(spec.testCommand).toBe('pytest -rA tests/test_a.py tests/test_new.py');
    expect(spec.evalScript).toContain(`git checkout ${'c'.repeat(40)} -- tests/test_a.py tests/data.json tests/test_old.py`);
    expect(spec.evalScript).toContain('rm -rf -- tests/test_new.py');
    expect(spec.evalScript.indexOf('>>>>> Start Test Output')).toBeLessThan(spec.evalScript.indexOf('pytest -rA'));
    expect(spec.evalScript).toContain('+y\n');
  });
});

describe('offline and registry variants of one version', () => {
  const BOTH = `repo: acme/widgets
specs:
  - versions: ["1.0"]
    source: offline
    base: python
    system_packages: [python3-pytest]
    test_cmd: "python3 -m pytest {tests}"
    log_parser: pytest
  - versions: ["1.0", "0.9"]
    source: registry
    base: python
    language_version: "3.6"
    language_packages: ["pytest==4.6"]
    requirements: [requirements-dev.txt, requirements.txt]
    test_cmd: "pytest -rA {tests}"
    log_parser: pytest
`;
  const dir = specDir({ 'acme__widgets.yaml': BOTH });

  it('chooses the entry for images.source, and any entry without a source', () => {
    expect(new SpecRegistry([dir], 'offline').resolve('acme/widgets', '1.0').env.source).toBe('offline');
    expect(new SpecRegistry([dir], 'registry').resolve('acme/widgets', '1.0').env.source).toBe('registry');
    expect(new SpecRegistry([dir]).resolve('acme/widgets', '1.0').env.source).toBe('offline');
    const shared = specDir({ 'acme__widgets.yaml': SPEC });
    expect(new SpecRegistry([shared], 'registry').resolve('acme/widgets', '1.0').env.source).toBeUndefined();
  });

  it('says which source has the version when the configured one has none', () => {
    try {
      new SpecRegistry([dir], 'offline').resolve('acme/widgets', '0.9');
      expect.unreachable();
    } catch (err) {
      expect((err as HarnessError).code).toBe('SPEC_NOT_FOUND');
      expect((err as HarnessError).context.field).toBe('source');
      expect((err as HarnessError).message).toContain('images.source: registry');
    }
  });

  it('pip-installs the first requirements file the repo has, before pre_install', () => {
    const registry = new SpecRegistry([dir], 'registry');
    const instance = { instance_id: 'acme__widgets-2', repo: 'acme/widgets', base_commit: 'c'.repeat(40), patch: '', test_patch: TEST_PATCH, problem_statement: '', version: '1.0', FAIL_TO_PASS: [], PASS_TO_PASS: [] } as unknown as Instance;
    const spec = makeTestSpec(instance, registry.resolve('acme/widgets', '1.0'), { ...loadHarnessConfig(), images: { ...loadHarnessConfig().images, source: 'registry' } });
    expect(spec.instanceImage.dockerfile).toContain("for f in requirements-dev.txt requirements.txt; do if [ -f \"$f\" ]; then python3 -m pip install --no-cache-dir -r \"$f\"; break; fi; done");
    expect(spec.envImage.dockerfile).toContain('RUN python3 -m pip install --no-cache-dir pytest==4.6');
    expect(spec.base.buildArgs.LANGUAGE_VERSION).toBe('3.6');
  });
});

describe('formatDirectives', () => {
  it("names Django's tests as runtests.py takes them: dotted modules without tests/", () => {
    const files = ['tests/admin_views/tests.py', 'tests/migrations/test_operations.py', 'django/test/x.py'];
    expect(formatDirectives(files, { format: 'modules', strip_prefix: 'tests/' })).toEqual(['admin_views.tests', 'migrations.test_operations', 'django.test.x']);
    expect(formatDirectives(files, { format: 'files' })).toEqual(files);
  });
});
