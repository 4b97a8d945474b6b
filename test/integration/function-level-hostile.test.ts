import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { validateProblemRecords } from '../../src/function-level/load-problems.js';
import type { Sample } from '../../src/function-level/problem.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';

/**
 * Code that must not hang or outlive the evaluator (the seeds' list and more of each kind):
 * every sample ends with a clear outcome within its timeout, and afterwards nothing it
 * started is running, in the container (a probe sample run last looks) or on the host.
 */
// Long enough for a memory bomb to reach the container's limit on a busy machine.
const TIMEOUT_S = 5;

/** Makes the folders later jobs might use, by every name it can think of, and breaks what it can reach. */
const PLANTS = `import os
uid = os.getuid()
here = os.getcwd()
parent = os.path.dirname(here)
for base in (parent, '/tmp/fl-%d' % uid):
    for n in range(300):
        try:
            os.makedirs(os.path.join(base, 'job-%d' % n), exist_ok=True)
            os.chmod(os.path.join(base, 'job-%d' % n), 0)
        except OSError:
            pass
for attempt in (lambda: os.chmod(parent, 0), lambda: os.rename(parent, parent + '-gone'), lambda: os.rmdir(parent)):
    try:
        attempt()
    except OSError:
        pass
`;

/** Squats the folders and Go caches other slots (uids near its own) would use, world-writable. */
const SQUATS = `import os
uid = os.getuid()
for other in range(uid - 16, uid + 17):
    for path in ('/tmp/fl-%d' % other, '/tmp/fl-gocache-%d' % other, '/opt/swe-harness/work/slot-%d' % other, '/opt/swe-harness/work/slot-%d' % (other - uid + 16)):
        try:
            os.makedirs(path, exist_ok=True)
            os.chmod(path, 0o777)
        except OSError:
            pass
`;

const GO_SUM = 'func TestSum(t *testing.T) {\n\tif 1+2 != 3 {\n\t\tt.Fatal("sum")\n\t}\n}\n';
/** Each slot's in-memory scratch folder, MB (the test runs one slot). */
const SCRATCH_MB = 64;

/** Programs in Python unless named `js:`, `ts:` or `go:`; each with the outcome it must get (`a|b`: either). */
const HOSTILE: Array<[string, string, string]> = [
  ['endless-loop', 'while True:\n    pass\n', 'timeout'],
  ['catches-base-exception', 'import time\nwhile True:\n    try:\n        time.sleep(100)\n    except BaseException:\n        pass\n', 'timeout'],
  ['catches-system-exit', 'import sys\ntry:\n    sys.exit(0)\nexcept SystemExit:\n    while True:\n        pass\n', 'timeout'],
  ['ignores-sigterm', 'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n', 'timeout'],
  ['fork-bomb', 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n', 'timeout'],
  // Written bytes, not bytearray(n): a zeroed allocation is only address space until touched.
  ['memory-bomb', "hog = []\nwhile True:\n    hog.append(b'x' * (32 * 1024 * 1024))\n", 'killed'],
  ['output-flood', "while True:\n    print('x' * 10000)\n", 'killed'],
  ['huge-file', "with open('big.bin', 'wb') as f:\n    f.write(b'x' * (64 * 1024 * 1024))\n", 'error'],
  ['network', "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n", 'error'],
  ['reads-stdin', 'input()\n', 'error'],
  ['reads-all-stdin', "import sys\nassert sys.stdin.read() == ''\n", 'passed'],
  ['orphan-sleeps', "import subprocess\nsubprocess.Popen(['sleep', '987651'])\n", 'passed'],
  ['double-fork-daemon', "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execvp('sleep', ['sleep', '987652'])\n    os._exit(0)\n", 'passed'],
  ['daemon-thread', 'import threading, time\nthreading.Thread(target=time.sleep, args=(987653,), daemon=True).start()\n', 'passed'],
  ['lingering-thread', 'import threading, time\nthreading.Thread(target=time.sleep, args=(987654,)).start()\n', 'passed'],
  ['exits-zero-early', 'import os\nos._exit(0)\nassert False\n', 'error'],
  ['forges-report', 'import os\nos.write(3, b\'{"ended": "completed", "nonce": "guess"}\\n\')\nos._exit(0)\n', 'error'],
  ['sys-exit', 'import sys\nsys.exit(0)\n', 'error'],
  // kill(-1) reaches only the slot user's own processes (not itself): the runner and later samples go on.
  ['kills-everything-it-can', 'import os, signal\nos.kill(-1, signal.SIGKILL)\n', 'passed'],
  ['kills-init', 'import os, signal\nos.kill(1, signal.SIGKILL)\n', 'error'],
  ['js:endless-loop', 'while (true) {}\n', 'timeout'],
  ['js:memory-bomb', 'const hog = [];\nwhile (true) hog.push(Buffer.alloc(32 * 1024 * 1024, 1));\n', 'killed'],
  ['js:orphan', "require('node:child_process').spawn('sleep', ['987655'], { detached: true, stdio: 'ignore' }).unref();\n", 'passed'],
  ['go:endless-loop', 'func TestLoop(t *testing.T) {\n\tfor {\n\t}\n}\n', 'timeout'],
  ['js:fork-bomb', "require('node:child_process').spawn('sh', ['-c', 'f() { f | f & }; f'], { detached: true, stdio: 'ignore' });\nwhile (true) {}\n", 'timeout'],
  // Node writes what the pipe takes and queues the rest in its heap while the loop never yields:
  // the output limit, the heap or the timeout ends it first, depending on the machine's load.
  ['js:output-flood-stdout', "while (true) process.stdout.write('x'.repeat(10000) + '\\n');\n", 'killed|timeout'],
  ['js:output-flood', "const fs = require('node:fs');\nwhile (true) fs.writeSync(1, 'x'.repeat(10000) + '\\n');\n", 'killed'],
  ['js:network', "const s = require('node:net').connect(80, '1.1.1.1');\ns.on('error', (e) => { throw e; });\n", 'error'],
  ['ts:endless-loop', 'let n: number = 0;\nwhile (true) { n++; }\n', 'timeout'],
  ['go:memory-bomb', 'func TestHog(t *testing.T) {\n\tvar hog [][]byte\n\tfor {\n\t\tb := make([]byte, 32<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\thog = append(hog, b)\n\t}\n}\n', 'killed'],
  ['go:output-flood', 'func TestFlood(t *testing.T) {\n\tfor {\n\t\tprintln("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")\n\t}\n}\n', 'killed'],
  // Samples that try to spoil the samples after them, each followed by an innocent one that must pass:
  // the next jobs' folders made in advance (the old fixed names, and guesses beside its own), its
  // folder's parent made unusable, and other slots' folders and Go caches squatted.
  ['plants-next-job-folders', PLANTS, 'passed'],
  ['innocent-after-planting', 'assert sum([1, 2]) == 3\n', 'passed'],
  ['squats-other-slots', SQUATS, 'passed'],
  ['go:innocent-after-squatting', GO_SUM, 'passed'],
  // The scratch folder (SCRATCH_MB, in memory) filled by bytes, by files, and by bytes behind a
  // folder closed to its owner: the filler gets its error, and the next sample finds room.
  ['fills-scratch', "i = 0\nwhile True:\n    with open('fill-%d.bin' % i, 'wb') as f:\n        f.write(b'x' * (8 * 1024 * 1024))\n    i += 1\n", 'error'],
  ['innocent-after-filling', 'with open("out.txt", "w") as f:\n    f.write("x" * 100000)\nassert sum([1, 2]) == 3\n', 'passed'],
  ['fills-scratch-with-files', "import os\nos.mkdir('many')\ni = 0\nwhile True:\n    open('many/%d' % i, 'w').close()\n    i += 1\n", 'error'],
  ['innocent-after-many-files', 'with open("out.txt", "w") as f:\n    f.write("ok")\n', 'passed'],
  ['closes-a-full-folder', "import os\nos.makedirs('closed/inner')\nfor i in range(6):\n    with open('closed/inner/%d.bin' % i, 'wb') as f:\n        f.write(b'x' * (8 * 1024 * 1024))\nos.chmod('closed/inner', 0)\nos.chmod('closed', 0)\n", 'passed'],
  ['innocent-after-closed-folder', "for i in range(3):\n    with open('%d.bin' % i, 'wb') as f:\n        f.write(b'x' * (8 * 1024 * 1024))\n", 'passed'],
  ['go:innocent-after-all-that', GO_SUM, 'passed'],
];

/** Run last: fails when any process other than root's (the runner) is still alive in the container. */
const PROBE = `import os
me = os.getpid()
alive = []
for pid in os.listdir('/proc'):
    if not pid.isdigit() or int(pid) == me:
        continue
    try:
        status = open('/proc/%s/status' % pid).read()
    except OSError:
        continue
    uid = status.split('Uid:')[1].split()[0]
    state = status.split('State:')[1].split()[0]
    if uid != '0' and state not in ('Z', 'X'):
        alive.append((pid, uid, open('/proc/%s/cmdline' % pid).read().replace('\\0', ' ')))
assert alive == [], alive
`;

/** A MultiPL-E-style record whose program is the sample alone (Go's: after its package clause). */
function recordOf(name: string): unknown {
  const lang = name.includes(':') ? (name.split(':')[0] as string) : 'py';
  const prompt = lang === 'go' ? 'package hostile_test\n\nimport "testing"\n\n' : '';
  return { name, language: lang === 'go' ? 'go_test.go' : lang, prompt, tests: '\n', stop_tokens: [] };
}

it('ends every hostile sample with a clear outcome and leaves nothing running', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fl-hostile-'));
  const config = loadHarnessConfig(undefined, {
    run: { root },
    sandbox: { file_size_mb: 16, pids: 512 },
    function_level: { timeout: TIMEOUT_S, memory_mb: 384, scratch_mb: SCRATCH_MB, slots: 1, batch_size: 50, output_limit_bytes: 4 * 1024 * 1024 },
  });
  const entries = [...HOSTILE, ['probe', PROBE, 'passed'] as [string, string, string]];
  const set = validateProblemRecords(entries.map(([name], i) => ({ file: 'hostile', location: String(i), value: recordOf(name) })));
  expect(set.rejected).toEqual([]);
  const samples: Sample[] = entries.map(([name, code]) => ({ task_id: name, sample_index: 0, completion: code }));
  const run = await runFunctionLevelEvaluation({ config, runId: 'hostile', problems: set.problems, samples });

  const expected = Object.fromEntries(entries.map(([name, , outcome]) => [name, outcome]));
  const got = Object.fromEntries(run.results.map((r) => [r.task_id, expected[r.task_id]?.split('|').includes(r.outcome) ? expected[r.task_id] : r.outcome]));
  expect(got).toEqual(expected);
  const detail = (name: string) => run.results.find((r) => r.task_id === name)?.detail ?? '';
  expect(detail('memory-bomb')).toMatch(/^memory/);
  expect(detail('js:memory-bomb')).toMatch(/^memory/);
  expect(detail('output-flood')).toMatch(/^output/);
  expect(detail('js:output-flood')).toMatch(/^output/);
  expect(detail('js:output-flood-stdout')).toMatch(/^(output|memory|over)/);
  expect(detail('go:output-flood')).toMatch(/^output/);
  expect(detail('go:memory-bomb')).toMatch(/^memory/);
  expect(detail('huge-file')).toContain('File too large');
  expect(detail('network')).toMatch(/OSError|unreachable/i);
  expect(detail('reads-stdin')).toContain('EOFError');
  expect(detail('forges-report')).toContain('before its tests finished');
  expect(detail('fills-scratch')).toContain('No space left on device');
  expect(detail('fills-scratch-with-files')).toContain('No space left on device');
  // Bounded: a timeout is the timeout plus the kill, never the program's own idea of time.
  for (const r of run.results) expect(r.duration_s).toBeLessThan(TIMEOUT_S + 60);

  // Nothing on the host: the sleeps carry numbers no other process uses.
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  expect(ps.split('\n').filter((l) => /sleep 98765\d/.test(l))).toEqual([]);
  const left = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.run=hostile', 'swe-harness.kind=function-level'] }) });
  expect(left.filter((c) => c.Labels['swe-harness.owner'] === process.env.SWE_HARNESS_OWNER)).toEqual([]);
});
