import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { hubEndpointsFromEnv } from '../../src/instance/hub-client.js';
import { FakeHubServer } from '../helpers/hub-server.js';
import { loadProblems } from '../../src/function-level/load-problems.js';
import { withChallengeTests, type Problem } from '../../src/function-level/problem.js';
import { decodeTestCases, pickledString } from '../../src/function-level/test-cases.js';

const opts = { cacheDir: path.join(os.tmpdir(), 'fl-load-cache') };

function datasetFile(name: string, records: unknown[], gzip = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-load-'));
  const file = path.join(dir, name);
  const text = records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

/** `pickle.dumps(text, protocol=4)`, byte by byte: PROTO 4, FRAME, SHORT_BINUNICODE or BINUNICODE, MEMOIZE, STOP. */
function pickleOf(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const head = body.length < 256 ? Buffer.from([0x8c, body.length]) : Buffer.concat([Buffer.from([0x58]), Buffer.from(new Uint32Array([body.length]).buffer)]);
  const frame = Buffer.concat([head, body, Buffer.from([0x94, 0x2e])]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(frame.length - 1));
  return Buffer.concat([Buffer.from([0x80, 4, 0x95]), length, frame]);
}

describe('function-level datasets', () => {
  it('ships HumanEval: 164 problems with prompts, tests and canonical solutions', async () => {
    const set = await loadProblems('humaneval', opts);
    expect(set.rejected).toEqual([]);
    expect(set.problems).toHaveLength(164);
    const first = set.problems[0];
    expect(first?.task_id).toBe('HumanEval/0');
    expect(first?.format).toBe('humaneval');
    expect(first?.check).toMatchObject({ kind: 'test-program', call: 'has_close_elements' });
    expect(set.problems.every((p) => p.canonical_solution && p.language === 'python')).toBe(true);
  });

  it('recognises each format by its record and converts it', async () => {
    const file = datasetFile('mixed.jsonl.gz', [
      { task_id: 11, text: 'Remove first and last occurrence of a char.', code: 'def f(s, c): return s', test_list: ['assert f("a","a") == "a"'], test_setup_code: '', challenge_test_list: [] },
      { task_id: 'HumanEval/2', prompt: 'def t(x):\n', canonical_solution: '    return x\n', entry_point: 't', base_input: '[[1.5], [2]]', plus_input: [[3]], atol: 1e-6 },
      { name: 'HumanEval_0_add', language: 'js', prompt: 'function add(a, b){\n', tests: 'const assert = require("node:assert");\n', stop_tokens: ['\nfunction '] },
      {
        question_id: 'abc301_a',
        question_content: 'Read n, print n+1.',
        public_test_cases: JSON.stringify([{ input: '1\n', output: '2\n', testtype: 'stdin' }]),
        private_test_cases: deflateSync(pickleOf(JSON.stringify([{ input: '5\n', output: '6\n', testtype: 'stdin' }]))).toString('base64'),
        contest_date: '2023-05-13T00:00:00',
      },
    ], true);
    const set = await loadProblems(file, opts);
    expect(set.rejected).toEqual([]);
    const [mbpp, plus, js, lcb] = set.problems;
    expect(mbpp).toMatchObject({ task_id: '11', format: 'mbpp', canonical_solution: 'def f(s, c): return s', check: { kind: 'asserts', program: 'completion' } });
    expect(plus).toMatchObject({ format: 'evalplus', check: { kind: 'io', base_input: [[1.5], [2]], plus_input: [[3]], atol: 1e-6 } });
    expect(js).toMatchObject({ task_id: 'HumanEval_0_add', language: 'javascript', format: 'multipl-e', stop_tokens: ['\nfunction '] });
    expect(lcb).toMatchObject({ format: 'livecodebench', release_date: '2023-05-13' });
    expect(lcb?.check).toMatchObject({ kind: 'stdio', cases: [{ input: '1\n', output: '2\n' }, { input: '5\n', output: '6\n' }] });
  });

  it("picks EvalPlus's special oracle by dataset and entry point, and MBPP's challenge asserts only when asked", async () => {
    const io = (task_id: string, entry_point: string) => ({ task_id, prompt: `def ${entry_point}(x):\n`, canonical_solution: '    return x\n', entry_point, base_input: [[1]] });
    const file = datasetFile('oracles.jsonl', [
      io('HumanEval/32', 'find_zero'),
      io('Mbpp/164', 'are_equivalent'),
      io('Mbpp/295', 'sum_div'),
      io('Mbpp/581', 'surface_Area'),
      io('Mbpp/558', 'digit_distance_nums'),
      io('Mbpp/2', 'similar_elements'),
      io('Mbpp/769', 'Diff'),
      io('Mbpp/305', 'check_str'),
      // The oracle belongs to the dataset: the same names elsewhere are judged by the reference.
      io('Mbpp/900', 'find_zero'),
      io('HumanEval/99', 'sum_div'),
      io('Plus/1', 'find_zero'),
      io('Mbpp/3', 'is_not_prime'),
      { task_id: 7, text: 'Add.', code: 'def add(a, b): return a + b', test_list: ['assert add(1, 2) == 3'], challenge_test_list: ['assert add(-1, 1) == 0'] },
    ]);
    const set = await loadProblems(file, opts);
    expect(set.rejected).toEqual([]);
    const oracles = set.problems.map((p) => (p.check.kind === 'io' ? (p.check.oracle ?? null) : 'n/a'));
    expect(oracles).toEqual(['polynomial-root', 'any-output', 'or-zero', 'or-pyramid-surface', 'or-digit-distance', 'same-set', 'same-set', 'not-none', null, null, null, null, 'n/a']);
    const mbpp = set.problems.at(-1) as Problem;
    expect(mbpp.check).toMatchObject({ kind: 'asserts', asserts: ['assert add(1, 2) == 3'], challenge: ['assert add(-1, 1) == 0'] });
    expect(withChallengeTests(mbpp).check).toMatchObject({ asserts: ['assert add(1, 2) == 3', 'assert add(-1, 1) == 0'], challenge: [] });
    const plus = set.problems[0] as Problem;
    expect(withChallengeTests(plus)).toBe(plus);
  });

  it('names the file, record and field of each bad record, and keeps the good ones', async () => {
    const file = datasetFile('bad.jsonl', [
      { task_id: 'T/1', prompt: 'def f():\n', test: 'def check(c): pass', entry_point: 'f' },
      { task_id: 'T/2', prompt: 'def g():\n', test: '', entry_point: 'g' },
      '{not json',
      { hello: 'world' },
      { task_id: 'T/1', prompt: 'def f():\n', test: 'x', entry_point: 'f' },
      { task_id: 5, text: 'x', test_list: [] },
    ]);
    const set = await loadProblems(file, opts);
    expect(set.problems.map((p) => p.task_id)).toEqual(['T/1']);
    expect(set.rejected).toEqual([
      expect.objectContaining({ file, location: '3', message: expect.stringContaining('not valid JSON') }),
      expect.objectContaining({ file, location: '2', instanceId: 'T/2', field: 'test' }),
      expect.objectContaining({ file, location: '4', message: expect.stringContaining('not a known function-level format') }),
      expect.objectContaining({ file, location: '5', field: 'task_id', message: expect.stringContaining('duplicate') }),
      expect.objectContaining({ file, location: '6', instanceId: '5', field: 'test_list' }),
    ]);
  });

  it('reads only a pickled string, never any other pickle', () => {
    expect(pickledString(pickleOf('hello'))).toBe('hello');
    expect(pickledString(pickleOf('x'.repeat(300)))).toBe('x'.repeat(300));
    // A pickle that calls something (GLOBAL os system, REDUCE) is refused.
    expect(pickledString(Buffer.from('cos\nsystem\n(S"echo hi"\ntR.', 'latin1'))).toBeUndefined();
    expect(decodeTestCases('not base64 of anything')).toBe('not base64 of anything');
  });
});

describe('function-level datasets by Hugging Face name', () => {
  const rows = [
    { name: 'HumanEval_0_add', language: 'js', prompt: 'function add(a, b) {\n', tests: 'const assert = require("node:assert");\n', stop_tokens: '["\\nfunction "]' },
    { name: 'HumanEval_1_sub', language: 'js', prompt: 'function sub(a, b) {\n', tests: '' },
  ];
  const server = new FakeHubServer({ 'nuprl/MultiPL-E': { sha: 'b'.repeat(40), splits: { test: rows }, config: 'humaneval-js' } });
  afterAll(() => server.stop());

  it('reads owner/name:config through the dataset cache, with the bad row named', async () => {
    const url = await server.start();
    const endpoints = hubEndpointsFromEnv({ HF_ENDPOINT: url, HF_DATASETS_SERVER_ENDPOINT: url });
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fl-hub-'));
    const set = await loadProblems('nuprl/MultiPL-E:humaneval-js', { cacheDir, endpoints });
    expect(set.source).toMatch(/^hf:\/\/nuprl\/MultiPL-E@b{12}\/humaneval-js\/test$/);
    expect(set.problems).toEqual([expect.objectContaining({ task_id: 'HumanEval_0_add', language: 'javascript', format: 'multipl-e', stop_tokens: ['\nfunction '] })]);
    expect(set.rejected).toEqual([expect.objectContaining({ file: set.source, location: 'row 1', instanceId: 'HumanEval_1_sub', field: 'tests' })]);
  });
});
