import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { repoLayerRecipe } from '../../src/test-spec/repo-layer.js';
import { makeTestSpec } from '../../src/test-spec/test-spec.js';

const SPEC = `repo: acme/widgets
specs:
  - versions: ["1.0"]
    base: python
    install: ["pip install -e . # editable", "make -C docs 'html'"]
    pre_install: ["for x in a b; do\\n  echo $x\\ndone"]
    test_cmd: "pytest -rA {tests}"
    log_parser: pytest
`;

const instance = {
  instance_id: 'acme__widgets-1', repo: 'acme/widgets', base_commit: 'c'.repeat(40), patch: '', test_patch: '', problem_statement: '',
  hints_text: '', created_at: '', version: '1.0', FAIL_TO_PASS: [], PASS_TO_PASS: [],
} as Instance;

function specFor(overrides = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'specs-'));
  writeFileSync(path.join(dir, 'acme__widgets.yaml'), SPEC);
  return makeTestSpec(instance, new SpecRegistry([dir]).resolve('acme/widgets', '1.0'), loadHarnessConfig(undefined, overrides));
}

describe('the instance recipe on shared repository layers', () => {
  it('starts FROM the layer named at build time, adds the pack and checks out base_commit before the install', () => {
    const lines = specFor().instanceImage.dockerfile.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['ARG REPO_LAYER', 'FROM ${REPO_LAYER}', 'COPY objects/ /testbed/.git/objects/pack/']);
    expect(lines[3]).toMatch(/^RUN bash -c 'git checkout -q -B main c{40} && git reflog expire --expire=now --all/);
  });

  it('runs one-line steps in one RUN, each its own bash (a trailing comment ends only its step), multi-line steps apart', () => {
    const runs = specFor().instanceImage.dockerfile.split('\n').filter((l) => l.startsWith('RUN '));
    // checkout; the multi-line pre_install; the install's two steps with the exclusion of untracked files.
    expect(runs).toHaveLength(3);
    expect(runs[1]).toContain('bash -euo pipefail -c');
    expect(runs[2]).toContain(`bash -c 'pip install -e . # editable' && bash -c 'make -C docs '\\''html'\\''' && bash -c 'git status`);
  });

  it('keys the instance image on the layer plan, which decides its floor', () => {
    const a = specFor();
    const b = specFor({ images: { repo_layers: { every: 200, depth: 16 } } });
    expect(b.instanceImage.tag).not.toBe(a.instanceImage.tag);
  });

  it('chains repository links by content: a different link below is a different link', () => {
    const envImage = specFor().envImage!;
    const start = repoLayerRecipe({ repo: 'acme/widgets', commit: 'a'.repeat(40), envImage });
    const link = repoLayerRecipe({ repo: 'acme/widgets', commit: 'b'.repeat(40), below: start, envImage });
    const otherStart = repoLayerRecipe({ repo: 'acme/widgets', commit: 'd'.repeat(40), envImage });
    expect(start.dockerfile).toContain('COPY repo/ /testbed/');
    expect(link.dockerfile).toContain(`FROM ${start.tag}`);
    expect(link.tag).toMatch(/^swe-harness\/repo:acme__widgets-[0-9a-f]{12}$/);
    expect(repoLayerRecipe({ repo: 'acme/widgets', commit: 'b'.repeat(40), below: otherStart, envImage }).tag).not.toBe(link.tag);
  });
});
