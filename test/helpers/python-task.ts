import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHarnessConfig, type HarnessConfig } from '../../src/config/harness-config.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { GitFixture } from './git-fixture.js';

/**
 * A small real Python project with a bug, its fix and a test that exposes it, made as a
 * git repository in the test; plus a spec and a config that point the harness at it.
 */
export interface PythonTask {
  instance: Instance;
  /** A real patch that replaces calc.py with this source. */
  patchWith(calcSource: string): string;
  config: HarnessConfig;
  repo: GitFixture;
  workDir: string;
}

const SOURCE_BUGGY = 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n';
export const SOURCE_FIXED = 'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n';
const TESTS_BEFORE = 'from calc import mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n';
const TESTS_AFTER = `${TESTS_BEFORE}\n\ndef test_add():\n    from calc import add\n    assert add(2, 3) == 5\n`;

export const SPEC_YAML = `repo: test/calc
specs:
  - versions: ["0.1"]
    base: python
    system_packages: [python3-pytest]
    test_cmd: "python3 -m pytest -rA -p no:cacheprovider {tests}"
    log_parser: pytest
    timeouts: {test: 60}
`;

export function makePythonTask(opts: { testTimeout?: number } = {}): PythonTask {
  const repo = new GitFixture('calc');
  repo.commit('initial', { 'calc.py': SOURCE_BUGGY.replace('a - b', 'None'), 'tests/test_calc.py': TESTS_BEFORE, 'README.md': '# calc\n' });
  const base = repo.commit('add add()', { 'calc.py': SOURCE_BUGGY });
  const fix = repo.commit('fix add()', { 'calc.py': SOURCE_FIXED, 'tests/test_calc.py': TESTS_AFTER });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'py-task-'));
  const specDir = path.join(workDir, 'specs');
  mkdirSync(specDir);
  writeFileSync(path.join(specDir, 'test__calc.yaml'), opts.testTimeout ? SPEC_YAML.replace('test: 60', `test: ${opts.testTimeout}`) : SPEC_YAML);
  const instance: Instance = {
    instance_id: 'test__calc-1',
    repo: 'test/calc',
    base_commit: base,
    patch: repo.diff(base, fix, 'calc.py'),
    test_patch: repo.diff(base, fix, 'tests'),
    problem_statement: 'add() subtracts',
    hints_text: '',
    created_at: '2024-01-01',
    version: '0.1',
    FAIL_TO_PASS: ['tests/test_calc.py::test_add'],
    PASS_TO_PASS: ['tests/test_calc.py::test_mul'],
    repo_source: repo.dir,
  };
  const config = loadHarnessConfig(undefined, {
    spec_dirs: [specDir],
    repo_cache: path.join(workDir, 'repos'),
    run: { root: path.join(workDir, 'runs'), concurrency: 1 },
    images: { log_dir: path.join(workDir, 'build-logs') },
  });
  const patchWith = (source: string) => repo.patchAgainst(base, { 'calc.py': source });
  return { instance, config, repo, workDir, patchWith };
}
