import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import type { InstanceResult } from '../../src/report/instance-result.js';

/**
 * Patches that take over the test runner of the demo's Go and JavaScript instances (the Python
 * ones are in hostile-patches.test.ts), each beside a gold twin that changes the same kind of
 * file for its own reasons and still resolves.
 */
const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
const work = mkdtempSync(path.join(os.tmpdir(), 'takeover-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 2 }, repo_cache: path.join(work, 'repos') });

function instance(id: string): Instance {
  return dataset.instances.find((i) => i.instance_id === id) as Instance;
}

/** A real `git diff` against the instance's base commit, made in a clone of its demo bundle. */
function patchOf(inst: Instance, files: Record<string, string>, edits: Record<string, (text: string) => string> = {}): string {
  const dir = mkdtempSync(path.join(work, 'tree-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  execFileSync('git', ['clone', '--quiet', inst.repo_source as string, dir]);
  git('checkout', '--quiet', inst.base_commit);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  for (const [name, change] of Object.entries(edits)) writeFileSync(path.join(dir, name), change(readFileSync(path.join(dir, name), 'utf8')));
  git('add', '-A');
  return git('diff', '--cached');
}

async function grade(inst: Instance, name: string, patch: string): Promise<InstanceResult> {
  const predictions = new Map([[inst.instance_id, { instance_id: inst.instance_id, model_name_or_path: name, model_patch: patch }]]);
  const outcome = await runEvaluation({ config, runId: `test-takeover-${name}`, instances: [inst], predictions, concurrency: 1, force: true });
  return outcome.results[0] as InstanceResult;
}

describe('go test: files that take over the runner (real Docker)', () => {
  const go = instance('demo__ratelimit-1');
  const allTests = [...go.FAIL_TO_PASS, ...go.PASS_TO_PASS];
  const testMain = [
    'package ratelimit',
    '',
    'import (',
    '\t"fmt"',
    '\t"os"',
    '\t"testing"',
    ')',
    '',
    'func TestMain(m *testing.M) {',
    `\tfor _, name := range []string{${allTests.map((t) => JSON.stringify(t)).join(', ')}} {`,
    '\t\tfmt.Printf("=== RUN   %s\\n--- PASS: %s (0.00s)\\n", name, name)',
    '\t}',
    '\tfmt.Println("PASS")',
    '\tos.Exit(0)',
    '}',
    '',
  ].join('\n');

  it('zz-main-test-go: a new zz_main_test.go whose TestMain prints every test passed is removed before the tests', async () => {
    const r = await grade(go, 'zz-main-test-go', patchOf(go, { 'zz_main_test.go': testMain }));
    expect(r.protected_files?.removed).toEqual(['zz_main_test.go']);
    expect(r).toMatchObject({ resolved: false, verdict_reason: { code: 'TESTS_FAILED' } });
    expect(r.tests_status?.FAIL_TO_PASS.success).toEqual([]);
  });

  it('testmain-in-existing-test-file: limiter_test.go rewritten to a TestMain (not in the test patch) is restored away', async () => {
    const r = await grade(go, 'testmain-existing', patchOf(go, { 'limiter_test.go': testMain }));
    expect(r.protected_files?.restored).toEqual(['limiter_test.go']);
    expect(r.resolved).toBe(false);
    expect(r.tests_status?.FAIL_TO_PASS.success).toEqual([]);
  });

  it('go-mod-replace: a replace directive in go.mod is refused', async () => {
    const r = await grade(go, 'go-mod-replace', patchOf(go, { 'fake/go.mod': 'module example.com/fake\n' }, { 'go.mod': (t) => `${t}\nreplace example.com/ratelimit/x => ./fake\n` }));
    expect(r).toMatchObject({ resolved: false, patch_successfully_applied: false, verdict_reason: { code: 'PATCH_REFUSED' } });
    expect(r.verdict_reason?.message).toContain('go.mod');
  });

  it('gold twin: the fix plus a new source file and a go.mod comment resolves', async () => {
    const extras = patchOf(go, { 'doc.go': '// Package ratelimit limits rates.\npackage ratelimit\n' }, { 'go.mod': (t) => `${t}// tested with go 1.19\n` });
    const r = await grade(go, 'go-gold-twin', go.patch + extras);
    expect(r.error).toBeUndefined();
    expect(r.resolved).toBe(true);
  });
});

describe("node: package.json's test settings and node_modules (real Docker)", () => {
  const js = instance('demo__semver-lite-1');

  it('package-json-test-script: a patch that rewrites the test script is refused', async () => {
    const r = await grade(js, 'pkg-test-script', patchOf(js, {}, { 'package.json': (t) => t.replace(/"test":\s*"[^"]*"/, '"test": "echo ok"') }));
    expect(r).toMatchObject({ resolved: false, verdict_reason: { code: 'PATCH_REFUSED' } });
    expect(r.verdict_reason?.message).toContain('package.json');
  });

  it('node-modules-shadow: a patch that writes into node_modules is refused', async () => {
    const r = await grade(js, 'node-modules', patchOf(js, { 'node_modules/assert-plus/index.js': 'module.exports = () => {};\n' }));
    expect(r).toMatchObject({ resolved: false, verdict_reason: { code: 'PATCH_REFUSED' } });
  });

  it('gold twin: the fix plus a version bump in package.json resolves', async () => {
    const extras = patchOf(js, {}, { 'package.json': (t) => t.replace(/"version":\s*"[^"]*"/, '"version": "9.9.9"') });
    const r = await grade(js, 'js-gold-twin', js.patch + extras);
    expect(r.error).toBeUndefined();
    expect(r.resolved).toBe(true);
  });
});
