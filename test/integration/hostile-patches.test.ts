import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/instance/instance-schema.js';
import {
  calcSource,
  evaluateHostile,
  filesUnder,
  HOSTILE_LIMITS,
  HOSTILE_TEST_TIMEOUT_S,
  hostProcessesWith,
  makeHostileTask,
  realPatch,
  type HostileOutcome,
  type HostileTask,
} from '../helpers/hostile-task.js';

/**
 * Patches that attack the grader, each a real patch graded through the normal path
 * (runEvaluation) beside the gold patch of a twin instance in the same batch. Each must end
 * graded truly: not resolved, with an error class or test statuses that say why, in bounded
 * time, with no container of the run and no process of its containers left, and the gold
 * neighbour resolved.
 *
 * `it.fails` marks a case the harness grades wrongly today: the assertions are the correct
 * ones, and the case turns red (to be switched back to `it`) once the harness is fixed.
 */

const ADD = 'tests/test_calc.py::test_add';
const MUL = 'tests/test_calc.py::test_mul';
/** The slowest case may use the whole test timeout; container start, apply and removal fit in the rest. */
const BOUND_S = HOSTILE_TEST_TIMEOUT_S + 30;

/** A pytest plugin (a conftest.py, or a module loaded with -p) that turns every outcome into passed. */
const makereportAllPass = [
  'import pytest',
  '',
  '',
  '@pytest.hookimpl(hookwrapper=True)',
  'def pytest_runtest_makereport(item, call):',
  '    outcome = yield',
  '    report = outcome.get_result()',
  "    report.outcome = 'passed'",
  '    report.longrepr = None',
  '',
].join('\n');

function expectContained(run: HostileOutcome, opts: { refusedBeforeStart?: boolean } = {}): void {
  expect(run.result.timings.total_s).toBeLessThan(BOUND_S);
  // The hostile container and the gold neighbour's; a patch refused on sight starts none.
  expect(run.leftovers.watched).toHaveLength(opts.refusedBeforeStart ? 1 : 2);
  expect(run.leftovers.containers).toBe(0);
  expect(run.leftovers.processes).toEqual([]);
  expect(existsSync(path.join(run.outDir, 'report.json'))).toBe(true);
  expect(run.gold.error).toBeUndefined();
  expect(run.gold.resolved).toBe(true);
}

/** Not resolved because the tests ran and test_add failed, test_mul still passing. */
function expectAddFailed(run: HostileOutcome): void {
  expect(run.result.resolved).toBe(false);
  expect(run.result.resolution).toBe('NO');
  expect(run.result.error).toBeUndefined();
  expect(run.result.tests_status?.FAIL_TO_PASS).toEqual({ success: [], failure: [ADD] });
  expect(run.result.tests_status?.PASS_TO_PASS).toEqual({ success: [MUL], failure: [] });
}

/** Not resolved, and the report says why: an error class, or a failing FAIL_TO_PASS test. */
function expectExplained(run: HostileOutcome): void {
  expect(run.result.resolved).toBe(false);
  const why = run.result.error?.code ?? run.result.verdict_reason?.code ?? run.result.tests_status?.FAIL_TO_PASS.failure.join(' ');
  expect(why).toBeTruthy();
}

function expectTimedOut(run: HostileOutcome): void {
  expect(run.result.resolved).toBe(false);
  expect(run.result.error?.code).toBe('TEST_TIMEOUT');
  expect(run.result.test_exit_code).toBeNull();
}

describe('hostile patches are graded truly, in bounded time, and leave nothing behind', () => {
  let h: HostileTask;
  beforeAll(() => {
    h = makeHostileTask();
  });

  it('baseline: the gold patch resolves under the hostile-suite limits', async () => {
    const run = await evaluateHostile(h, 'baseline', h.task.instance.patch);
    expect(run.result.resolved).toBe(true);
    expect(run.result.error).toBeUndefined();
    expectContained(run);
  });

  describe('runaway processes', () => {
    it('an infinite loop in the function under test is killed at the test timeout (TEST_TIMEOUT)', async () => {
      const run = await evaluateHostile(h, 'infinite-loop', h.task.patchWith(calcSource('while True:\n    pass')));
      expectTimedOut(run);
      expect(run.result.timings.eval_s).toBeGreaterThanOrEqual(HOSTILE_TEST_TIMEOUT_S);
      expectContained(run);
    });

    it(`a memory bomb (64 MB blocks until GBs) is stopped by the ${HOSTILE_LIMITS.memory_mb} MB limit: test_add fails`, async () => {
      const bomb = calcSource("hog = []\nwhile True:\n    hog.append(b'x' * (64 * 1024 * 1024))");
      const run = await evaluateHostile(h, 'memory-bomb', h.task.patchWith(bomb));
      expect(run.result.resolved).toBe(false);
      // pytest itself is OOM-killed (exit 137): the verdict says so.
      expect(run.result.verdict_reason?.code).toBe('TEST_CRASHED');
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });

    it(`an os.fork() bomb that swallows EAGAIN is held by the pids limit (${HOSTILE_LIMITS.pids}) and killed at the timeout`, async () => {
      const bomb = calcSource('while True:\n    try:\n        os.fork()\n    except OSError:\n        pass', 'import os');
      const run = await evaluateHostile(h, 'fork-bomb-python', h.task.patchWith(bomb));
      expectTimedOut(run);
      expectContained(run);
    });

    it('a bash fork bomb started by the code under test does not outlive the grading', async () => {
      const bomb = calcSource("subprocess.Popen(['bash', '-c', ':(){ :|:& };:'])\nreturn a - b", 'import subprocess');
      const run = await evaluateHostile(h, 'fork-bomb-bash', h.task.patchWith(bomb));
      expectExplained(run);
      expectContained(run);
    });

    it('a child process that outlives the test (one on the log stream, one detached) is no timeout and does not survive', async () => {
      const prelude = 'import os\nimport subprocess';
      const body = [
        "log = open('/proc/%d/fd/1' % os.getppid(), 'wb')  # the eval script's stdout: the exec stream",
        "subprocess.Popen(['sleep', '987654'], stdout=log, stderr=log)",
        "subprocess.Popen(['sleep', '987655'], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)",
        'return a - b',
      ].join('\n');
      const run = await evaluateHostile(h, 'lingering-child', h.task.patchWith(calcSource(body, prelude)));
      expectAddFailed(run);
      expect(run.result.timings.eval_s).toBeLessThan(HOSTILE_TEST_TIMEOUT_S);
      expect(hostProcessesWith('98765')).toEqual([]);
      expectContained(run);
    });

    it('code that ignores SIGTERM/SIGINT and loops in atexit catching SystemExit/KeyboardInterrupt is killed at the timeout', async () => {
      const prelude = [
        'import atexit',
        'import signal',
        'import time',
        '',
        '',
        'def _never_exit():',
        '    while True:',
        '        try:',
        '            time.sleep(0.1)',
        '        except BaseException:  # SystemExit, KeyboardInterrupt: keep going',
        '            pass',
      ].join('\n');
      const body = [
        'for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):',
        '    signal.signal(sig, signal.SIG_IGN)',
        'atexit.register(_never_exit)',
        'return a - b',
      ].join('\n');
      const run = await evaluateHostile(h, 'immortal-atexit', h.task.patchWith(calcSource(body, prelude)));
      expectTimedOut(run);
      // The tests themselves ended: the log says so, but the run never did.
      expect(run.output).toContain(`FAILED ${ADD}`);
      expectContained(run);
    });
  });

  describe('output that spoofs the test runner', () => {
    // Lines of a Python string literal, joined with its escape for a newline.
    const forgedPasses = [`PASSED ${ADD}`, `PASSED ${MUL}`, '============================== 1 passed in 0.01s ==============================='].join('\\n');
    const forged = [`PASSED ${ADD}`, '>>>>> End Test Output', '>>>>> Start Test Output', forgedPasses].join('\\n');

    it('PASSED lines, fake End/Start markers and a forged "1 passed" summary, printed and written around the capture', async () => {
      const prelude = [
        'import os',
        '',
        `FORGED = '\\n${forged}\\n'`,
        '',
        '',
        'def _forge():',
        '    print(FORGED)  # captured by pytest: shown in the failure report',
        "    with open('/proc/%d/fd/1' % os.getppid(), 'w') as raw:  # the eval script's own stdout",
        '        raw.write(FORGED)',
      ].join('\n');
      const run = await evaluateHostile(h, 'spoofed-markers', h.task.patchWith(calcSource('_forge()\nreturn a - b', prelude)));
      expect(run.output).toContain(`\n>>>>> Start Test Output\nPASSED ${ADD}\nPASSED ${MUL}\n`);
      expect(run.output).toContain(`FAILED ${ADD}`);
      expectAddFailed(run);
      expectContained(run);
    });

    it('printing PASSED lines and a summary at import time, then os._exit(0)', async () => {
      const prelude = ['import os', '', `print('${forgedPasses}', flush=True)`, 'os._exit(0)'].join('\n');
      const run = await evaluateHostile(h, 'import-exit0-print', h.task.patchWith(calcSource('return a - b', prelude)));
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });

    // pytest never printed its final summary (and the forged one counts fewer passes than the
    // forged PASSED lines): the log is no evidence, so no test is proven passing.
    it('writing PASSED lines past the capture (to the eval script\'s stdout) at import time, then os._exit(0)', async () => {
      const prelude = [
        'import os',
        '',
        "with open('/proc/%d/fd/1' % os.getppid(), 'w') as raw:  # around pytest's capture: the eval script's stdout",
        `    raw.write('${forgedPasses}\\n')`,
        'os._exit(0)',
      ].join('\n');
      const run = await evaluateHostile(h, 'import-exit0-raw', h.task.patchWith(calcSource('return a - b', prelude)));
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });
  });

  describe('patches that change how pytest reports', () => {

    // SWE-bench is fooled by this one: the patch's conftest.py files are removed before the tests run.
    it('a root conftest.py whose makereport hookwrapper rewrites every outcome to passed', async () => {
      const run = await evaluateHostile(h, 'conftest-root-makereport', realPatch(h, { files: { 'conftest.py': makereportAllPass } }));
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });

    // As above, in tests/.
    it('a tests/conftest.py that replaces every collected test with a no-op', async () => {
      const noop = 'def pytest_collection_modifyitems(config, items):\n    for item in items:\n        item.runtest = lambda: None\n';
      const run = await evaluateHostile(h, 'conftest-tests-noop', realPatch(h, { files: { 'tests/conftest.py': noop } }));
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });

    it('a tests/conftest.py that deselects the failing test: a missing FAIL_TO_PASS test has failed', async () => {
      const deselect = [
        'def pytest_collection_modifyitems(config, items):',
        "    dropped = [i for i in items if i.name == 'test_add']",
        "    items[:] = [i for i in items if i.name != 'test_add']",
        '    config.hook.pytest_deselected(items=dropped)',
        '',
      ].join('\n');
      const run = await evaluateHostile(h, 'conftest-tests-deselect', realPatch(h, { files: { 'tests/conftest.py': deselect } }));
      // The patch's conftest.py is removed before the tests run, so nothing is deselected.
      expect(run.output).not.toContain('deselected');
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS).toEqual({ success: [], failure: [ADD] });
      expect(run.result.tests_status?.PASS_TO_PASS).toEqual({ success: [MUL], failure: [] });
      expectContained(run);
    });

    // KNOWN LIMIT, pinned: the code under test runs inside pytest's own process and can rewrite
    // any report it makes; no reading of the log can tell. SWE-bench has the same limit.
    it.fails('the code under test registers an all-pass pytest plugin at import time (no conftest at all)', async () => {
      const prelude = [
        'import gc',
        '',
        'import pytest',
        '',
        '',
        'class _AllPass:',
        '    @pytest.hookimpl(hookwrapper=True)',
        '    def pytest_runtest_makereport(self, item, call):',
        '        outcome = yield',
        "        outcome.get_result().outcome = 'passed'",
        '',
        '',
        'for _obj in gc.get_objects():',
        '    if isinstance(_obj, pytest.Config):',
        "        _obj.pluginmanager.register(_AllPass(), 'all-pass')",
        '        break',
      ].join('\n');
      const run = await evaluateHostile(h, 'import-time-plugin', h.task.patchWith(calcSource('return a - b', prelude)));
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS.failure).toEqual([ADD]);
      expectContained(run);
    });
  });

  describe("patches that change the runner's configuration or bring their own runner", () => {
    const plugin = makereportAllPass;
    const addopts = '-p evilplug';
    const configs: Array<[string, string, string]> = [
      ['pyproject-addopts', 'pyproject.toml', `[tool.pytest.ini_options]\naddopts = "${addopts}"\n`],
      ['pytest-ini-addopts', 'pytest.ini', `[pytest]\naddopts = ${addopts}\n`],
      ['dot-pytest-ini-addopts', '.pytest.ini', `[pytest]\naddopts = ${addopts}\n`],
      ['tox-ini-addopts', 'tox.ini', `[pytest]\naddopts = ${addopts}\n`],
      ['setup-cfg-addopts', 'setup.cfg', `[tool:pytest]\naddopts = ${addopts}\n`],
    ];
    for (const [name, file, text] of configs) {
      it(`${name}: a ${file} whose addopts loads a plugin module of the patch that passes every test`, async () => {
        const patch = realPatch(h, { files: { 'evilplug.py': plugin, [file]: text } });
        const run = await evaluateHostile(h, name, patch);
        expect(run.result.protected_files?.removed).toEqual([file]);
        expectAddFailed(run);
        expectContained(run);
      });
    }

    it('sitecustomize-root: a sitecustomize.py and usercustomize.py that register the plugin at interpreter start', async () => {
      const startup = "import os\nos.environ['PYTEST_PLUGINS'] = 'evilplug'\n";
      const patch = realPatch(h, { files: { 'evilplug.py': plugin, 'sitecustomize.py': startup, 'tests/usercustomize.py': startup } });
      const run = await evaluateHostile(h, 'sitecustomize-root', patch);
      expect(run.result.protected_files?.removed).toEqual(expect.arrayContaining(['sitecustomize.py', 'tests/usercustomize.py']));
      expectAddFailed(run);
      expectContained(run);
    });

    it('pytest-shadowed: a pytest.py at the root that stands in for pytest and prints every test passed', async () => {
      const fake = `print('PASSED ${ADD}')\nprint('PASSED ${MUL}')\nprint('===== 2 passed in 0.01s =====')\n`;
      const run = await evaluateHostile(h, 'pytest-shadowed', realPatch(h, { files: { 'pytest.py': fake } }));
      expect(run.result).toMatchObject({ resolved: false, verdict_reason: { code: 'PATCH_REFUSED' } });
      expect(run.result.verdict_reason?.message).toContain('pytest.py shadows the installed module pytest');
      expectContained(run);
    });

    it('pluggy-shadowed: a pluggy/ package at the root, imported by pytest instead of the real one', async () => {
      const run = await evaluateHostile(h, 'pluggy-shadowed', realPatch(h, { files: { 'pluggy/__init__.py': 'raise SystemExit(0)\n' } }));
      expect(run.result).toMatchObject({ resolved: false, verdict_reason: { code: 'PATCH_REFUSED' } });
      expect(run.result.verdict_reason?.message).toContain('pluggy/__init__.py shadows the installed module pluggy');
      expectContained(run);
    });

    it('entry-point-plugin: an egg-info whose entry_points.txt registers a pytest11 plugin', async () => {
      const files = { 'evilplug.py': plugin, 'calc.egg-info/entry_points.txt': '[pytest11]\nevil = evilplug\n', 'calc.egg-info/PKG-INFO': 'Metadata-Version: 2.1\nName: calc\nVersion: 0\n' };
      const run = await evaluateHostile(h, 'entry-point-plugin', realPatch(h, { files }));
      expect(run.result).toMatchObject({ resolved: false, patch_successfully_applied: false, verdict_reason: { code: 'PATCH_REFUSED' } });
      expect(run.result.verdict_reason?.message).toContain('calc.egg-info/');
      expectContained(run, { refusedBeforeStart: true });
    });

    it('compiled-test-module: an unchecked-hash .pyc and an extension module beside tests/test_calc.py, imported instead of it', async () => {
      for (const [name, file] of [
        ['pyc-test-module', 'tests/__pycache__/test_calc.cpython-311.pyc'],
        ['so-test-module', 'tests/test_calc.cpython-311-x86_64-linux-gnu.so'],
      ] as const) {
        const run = await evaluateHostile(h, name, realPatch(h, { files: { [file]: 'compiled all-pass tests\n' } }));
        expect(run.result).toMatchObject({ resolved: false, patch_successfully_applied: false, verdict_reason: { code: 'PATCH_REFUSED' } });
        expect(run.result.verdict_reason?.message).toContain(file);
        expectContained(run, { refusedBeforeStart: true });
      }
    });

    // Gold twins: a fix that also changes such files for its own reasons is still graded as SWE-bench grades it.
    it('gold twin: the fix plus a pyproject.toml with pytest markers and a new helper module resolves', async () => {
      const extras = realPatch(h, { files: { 'pyproject.toml': '[tool.pytest.ini_options]\nmarkers = ["slow"]\n', 'calcutil.py': 'TWO = 2\n' } });
      const fixed = h.task.instance.patch + extras;
      const run = await evaluateHostile(h, 'gold-twin-config', fixed);
      expect(run.result.resolved).toBe(true);
      expect(run.result.verdict_reason).toBeUndefined();
      expect(run.result.protected_files?.removed).toEqual(['pyproject.toml']);
      expectContained(run);
    });
  });

  describe('patches that touch the tests', () => {
    const NEW = 'tests/test_new.py::test_add_new';
    let withNewTest: Instance;
    beforeAll(() => {
      const testNew = 'from calc import add\n\n\ndef test_add_new():\n    assert add(1, 1) == 2\n';
      const testPatch = realPatch(h, { files: { 'tests/test_calc.py': h.testsAfter, 'tests/test_new.py': testNew } });
      withNewTest = { ...h.task.instance, test_patch: testPatch, FAIL_TO_PASS: [ADD, NEW] };
    });

    function expectTestPatchWon(run: HostileOutcome): void {
      expect(run.result.patch_successfully_applied).toBe(true);
      expect(run.result.error).toBeUndefined();
      expect(run.output).toContain(`FAILED ${NEW}`);
      expect(run.output).not.toContain(`PASSED ${NEW}`);
      expect(run.result.resolved).toBe(false);
      expect(run.result.tests_status?.FAIL_TO_PASS).toEqual({ success: [], failure: [ADD, NEW] });
      expect(run.result.tests_status?.PASS_TO_PASS).toEqual({ success: [MUL], failure: [] });
    }

    it('a patch that adds its own tests/test_new.py, a file the test patch adds', async () => {
      const own = 'def test_add_new():\n    pass\n';
      const run = await evaluateHostile(h, 'same-new-test-file', realPatch(h, { files: { 'tests/test_new.py': own } }), withNewTest);
      expectTestPatchWon(run);
      expectContained(run);
    });

    it('a patch that adds tests/test_new.py as a symlink to a trivially passing test of its own', async () => {
      const change = { files: { 'tests/fake_new.py': 'def test_add_new():\n    pass\n' }, links: { 'tests/test_new.py': 'fake_new.py' } };
      const run = await evaluateHostile(h, 'same-new-test-symlink', realPatch(h, change), withNewTest);
      expectTestPatchWon(run);
      expectContained(run);
    });

    it('a patch that rewrites tests/test_calc.py to trivially passing tests', async () => {
      const trivial = 'def test_add():\n    pass\n\n\ndef test_mul():\n    pass\n';
      const run = await evaluateHostile(h, 'rewritten-test-file', realPatch(h, { files: { 'tests/test_calc.py': trivial } }));
      expect(run.output).toContain(`FAILED ${ADD}`);
      expectAddFailed(run);
      expectContained(run);
    });

    it('a patch that deletes tests/test_calc.py', async () => {
      const run = await evaluateHostile(h, 'deleted-test-file', realPatch(h, { remove: ['tests/test_calc.py'] }));
      expect(run.output).toContain(`FAILED ${ADD}`);
      expectAddFailed(run);
      expectContained(run);
    });
  });

  describe('resources and the world outside the container', () => {
    it('2 GB written straight to the log stream: output capped, not resolved, bounded time, report written', async () => {
      const body = [
        "chunk = b'x' * (1 << 20) + b'\\n'",
        "raw = os.open('/proc/%d/fd/1' % os.getppid(), os.O_WRONLY)  # around pytest's capture",
        'for _ in range(2048):',
        '    os.write(raw, chunk)',
        'os.close(raw)',
        'return a - b',
      ].join('\n');
      const run = await evaluateHostile(h, 'stdout-flood', h.task.patchWith(calcSource(body, 'import os')));
      expect(run.result.test_output_truncated).toBe(true);
      expect(statSync(path.join(run.outDir, 'test_output.txt')).size).toBeLessThan(HOSTILE_LIMITS.output_cap_bytes + 4096);
      // Through docker exec 2 GB take 8-16 s here: the flood may end in the test timeout.
      expectExplained(run);
      expectContained(run);
    });

    it('`yes` left running on the log stream after the tests: output capped, not resolved, nothing survives', async () => {
      const body = "raw = open('/proc/%d/fd/1' % os.getppid(), 'wb')\nsubprocess.Popen(['yes', 'y' * 100], stdout=raw)\nreturn a - b";
      const run = await evaluateHostile(h, 'yes-flood', h.task.patchWith(calcSource(body, 'import os\nimport subprocess')));
      expect(run.result.test_output_truncated).toBe(true);
      expect(statSync(path.join(run.outDir, 'test_output.txt')).size).toBeLessThan(HOSTILE_LIMITS.output_cap_bytes + 4096);
      expect(run.result.resolved).toBe(false);
      expectExplained(run);
      expect(hostProcessesWith('y'.repeat(100))).toEqual([]);
      expectContained(run);
    });

    it(`a disk fill: files written until they fail (${HOSTILE_LIMITS.file_size_mb} MB each at most), 2 GB in all, gone with the container`, async () => {
      const body = [
        "chunk = b'\\xa5' * (1 << 20)",
        'written = 0',
        "for target in ('/testbed/fill.bin', '/tmp/fill.bin'):",
        '    try:',
        "        with open(target, 'wb') as out:",
        `            for _ in range(${HOSTILE_LIMITS.file_size_mb + 1}):  # one block past the sandbox's file size limit`,
        '                out.write(chunk)',
        '                written += len(chunk)',
        '    except OSError as err:',
        "        print('STOPPED', target, err.strerror)",
        "print('FILLED', written)",
        'return a - b',
      ].join('\n');
      const run = await evaluateHostile(h, 'disk-fill', h.task.patchWith(calcSource(body)));
      expect(run.output).toContain('STOPPED /testbed/fill.bin File too large');
      expect(run.output).toContain('STOPPED /tmp/fill.bin File too large');
      expect(run.output).toContain(`FILLED ${2 * HOSTILE_LIMITS.file_size_mb * 1024 * 1024}`);
      expectAddFailed(run);
      expectContained(run);
    });

    it('connections to the docker bridge, the docker socket, loopback and deb.debian.org all fail (add is fixed only if one gets out)', async () => {
      const prelude = [
        'import socket',
        '',
        "TARGETS = [('172.17.0.1', 2375), ('172.17.0.1', 22), ('127.0.0.1', 2375), ('deb.debian.org', 80)]",
        '',
        '',
        'def _reached(host, port):',
        '    try:',
        '        socket.create_connection((host, port), timeout=3).close()',
        '    except OSError as err:',
        "        print('NETWORK-BLOCKED %s:%d %s' % (host, port, err))",
        '        return False',
        "    print('NETWORK-REACHED %s:%d' % (host, port))",
        '    return True',
        '',
        '',
        'def _docker_socket():',
        "    for path in ('/var/run/docker.sock', '/run/docker.sock'):",
        '        try:',
        '            sock = socket.socket(socket.AF_UNIX)',
        '            sock.connect(path)',
        "            print('NETWORK-REACHED ' + path)",
        '            return True',
        '        except OSError as err:',
        "            print('NETWORK-BLOCKED %s %s' % (path, err))",
        '    return False',
      ].join('\n');
      const body = 'reached = [_reached(host, port) for host, port in TARGETS] + [_docker_socket()]\nreturn a + b if any(reached) else a - b';
      const run = await evaluateHostile(h, 'network', h.task.patchWith(calcSource(body, prelude)));
      expect(run.output).toContain('NETWORK-BLOCKED deb.debian.org:80');
      expect(run.output).toContain('NETWORK-BLOCKED 172.17.0.1:2375');
      expect(run.output).toContain('NETWORK-BLOCKED /var/run/docker.sock');
      expect(run.output).not.toContain('NETWORK-REACHED');
      expectAddFailed(run);
      expectContained(run);
    });

    it("the harness's environment (a secret in process.env) is in neither the log nor anywhere in the container", async () => {
      const secret = `topsecret-${randomUUID()}`;
      // The name is assembled at run time, so neither the patch nor its .pyc holds it.
      const prelude = [
        'import os',
        '',
        "NAME = '_'.join(['SWE', 'HARNESS', 'SECRET']).encode()",
        '',
        '',
        'def _scan():',
        '    hits, seen = [], 0',
        "    for pid in [p for p in os.listdir('/proc') if p.isdigit()]:",
        "        for kind in ('environ', 'cmdline'):",
        '            try:',
        "                with open('/proc/%s/%s' % (pid, kind), 'rb') as f:",
        '                    data = f.read()',
        '            except OSError:',
        '                continue',
        '            seen += 1',
        '            hits += [f.name] if NAME in data else []',
        "    for root, dirs, files in os.walk('/'):",
        "        dirs[:] = [d for d in dirs if os.path.join(root, d) not in ('/proc', '/sys', '/dev')]",
        '        for name in files:',
        '            path = os.path.join(root, name)',
        '            try:',
        '                if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) > 50_000_000:',
        '                    continue',
        "                with open(path, 'rb') as f:",
        '                    data = f.read()',
        '            except OSError:',
        '                continue',
        '            seen += 1',
        '            hits += [path] if NAME in data else []',
        '    return hits, seen',
      ].join('\n');
      const body = [
        'dump = repr(dict(os.environ))',
        "print('ENVIRON', dump)",
        "for target in ('/testbed/env-dump.txt', '/tmp/env-dump.txt'):",
        "    with open(target, 'w') as out:",
        '        out.write(dump)',
        'hits, seen = _scan()',
        "print('SECRET-SCAN hits=%r seen=%d' % (hits, seen))",
        'return a - b',
      ].join('\n');
      const patch = h.task.patchWith(calcSource(body, prelude));
      process.env.SWE_HARNESS_SECRET_TEST = secret;
      let run: HostileOutcome;
      try {
        run = await evaluateHostile(h, 'environment-secret', patch);
      } finally {
        delete process.env.SWE_HARNESS_SECRET_TEST;
      }
      expect(run.output).toContain("ENVIRON {'");
      expect(run.output).toMatch(/SECRET-SCAN hits=\[\] seen=\d{3,}/);
      expect(run.output).not.toContain('SWE_HARNESS_SECRET');
      for (const file of filesUnder(path.dirname(path.dirname(run.outDir)))) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
      expectAddFailed(run);
      expectContained(run);
    });

    it('symlinks out of the repository (tests/data -> /etc, host_environ -> /proc/1/environ), read and written through at test time', async () => {
      const marker = `swe-harness-hostile-${randomUUID()}`;
      const body = [
        'here = os.path.dirname(os.path.abspath(__file__))',
        "with open(os.path.join(here, 'host_environ'), 'rb') as f:",
        "    print('THROUGH-LINK', f.read())",
        `target = os.path.join(here, 'tests', 'data', '${marker}')`,
        "with open(target, 'w') as out:",
        "    out.write('written through a symlink\\n')",
        "print('WROTE', os.path.realpath(target))",
        'return a - b',
      ].join('\n');
      const change = { files: { 'calc.py': calcSource(body, 'import os') }, links: { 'tests/data': '/etc', host_environ: '/proc/1/environ' } };
      const run = await evaluateHostile(h, 'symlink-out', realPatch(h, change));
      expect(run.output).toContain(`WROTE /etc/${marker}`);
      expect(existsSync(`/etc/${marker}`)).toBe(false);
      expectAddFailed(run);
      expectContained(run);
    });

    it('a patch that writes a file through the symlink it adds (tests/data -> /etc, then tests/data/<file>)', async () => {
      const marker = `swe-harness-hostile-${randomUUID()}`;
      const through = [
        `diff --git a/tests/data/${marker} b/tests/data/${marker}`,
        'new file mode 100644',
        'index 0000000..1111111',
        '--- /dev/null',
        `+++ b/tests/data/${marker}`,
        '@@ -0,0 +1 @@',
        '+written through a symlink by the patch',
        '',
      ].join('\n');
      const run = await evaluateHostile(h, 'symlink-write-through', realPatch(h, { links: { 'tests/data': '/etc' } }) + through);
      expect(existsSync(`/etc/${marker}`)).toBe(false);
      expect(run.result.resolved).toBe(false);
      expectExplained(run);
      expectContained(run);
    });
  });

  describe('patches that move git history', () => {
    it('a patch that rewrites .git/refs/heads/main to the commit before the base: the test patch still meets the true base', async () => {
      const before = h.task.repo.git('rev-parse', `${h.base}~1`);
      const moveRef = [
        'diff --git a/.git/refs/heads/main b/.git/refs/heads/main',
        '--- a/.git/refs/heads/main',
        '+++ b/.git/refs/heads/main',
        '@@ -1 +1 @@',
        `-${h.base}`,
        `+${before}`,
        '',
      ].join('\n');
      const patch = realPatch(h, { files: { 'README.md': '# calc, moved\n' } }) + moveRef;
      const run = await evaluateHostile(h, 'git-ref-moved-by-patch', patch);
      // A patch that writes inside .git is refused whole (the fallbacks would have written it).
      expect(run.result).toMatchObject({ resolved: false, patch_successfully_applied: false, verdict_reason: { code: 'PATCH_REFUSED' } });
      expect(run.result.verdict_reason?.message).toContain('.git/refs/heads/main');
      expectContained(run, { refusedBeforeStart: true });
    });

    it('code that runs git update-ref and git reset --hard HEAD~1 at test time', async () => {
      const body = [
        "subprocess.run(['git', 'update-ref', 'refs/heads/main', 'HEAD~1'], check=True)",
        "subprocess.run(['git', 'reset', '--hard', '--quiet', 'HEAD'], check=True)",
        "print('HEAD-NOW', subprocess.run(['git', 'log', '--oneline', '-1'], capture_output=True, text=True).stdout)",
        'return a - b',
      ].join('\n');
      const run = await evaluateHostile(h, 'git-reset-at-test-time', h.task.patchWith(calcSource(body, 'import subprocess')));
      expect(run.output).toContain('HEAD-NOW');
      expect(run.output).toContain('initial');
      expectAddFailed(run);
      expectContained(run);
    });

    // A patch that writes under .git is refused; had it landed, git runs with no hooks and bash has parsed all of eval.sh first.
    it('a .git/hooks/post-checkout hook (written by the patch --fuzz fallback) that rewrites the rest of eval.sh', async () => {
      // git apply refuses .git paths, so the strict apply fails and `patch --fuzz=5` writes the
      // hook; eval.sh's `git checkout <base> -- <test files>` then runs it before the test patch.
      const hook = [
        '#!/bin/sh',
        'python3 - <<"PY"',
        "path = '/tmp/swe-harness/eval.sh'",
        'text = open(path).read()',
        "resume = text.index('\\n', text.index('git checkout')) + 1  # where bash reads on",
        'forged = """echo \'>>>>> Start Test Output\'',
        `echo 'PASSED ${ADD}'`,
        `echo 'PASSED ${MUL}'`,
        "echo '>>>>> End Test Output'",
        'exit 0',
        '"""',
        "with open(path, 'r+') as f:",
        '    f.seek(resume)',
        '    f.write(forged)',
        '    f.truncate()',
        'PY',
      ];
      const patch = [
        'diff --git a/.git/hooks/post-checkout b/.git/hooks/post-checkout',
        'new file mode 100755',
        'index 0000000..1111111',
        '--- /dev/null',
        '+++ b/.git/hooks/post-checkout',
        `@@ -0,0 +1,${hook.length} @@`,
        ...hook.map((line) => `+${line}`),
        '',
      ].join('\n');
      const run = await evaluateHostile(h, 'git-hook-rewrites-eval', patch);
      expect(run.result).toMatchObject({ resolved: false, patch_successfully_applied: false, verdict_reason: { code: 'PATCH_REFUSED' } });
      expect(run.result.verdict_reason?.message).toContain('.git/hooks/post-checkout');
      expectContained(run, { refusedBeforeStart: true });
    });
  });
});
