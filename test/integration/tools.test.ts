import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import type { ContainerSandbox } from '../../src/sandbox/container-sandbox.js';
import { startSession } from '../../src/sandbox/sessions.js';
import { runTool, toolSpecs, type ToolContext, type ToolResult } from '../../src/tools/tool.js';
import { makeToolset } from '../../src/tools/toolset.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'tools-test-'));
const config = loadHarnessConfig(undefined, { state_dir: path.join(work, 'state'), repo_cache: path.join(work, 'repos') });
const instance = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.find((i) => i.instance_id === 'demo__textkit-1')!;
const tools = makeToolset({ bash: true });

describe('the agent tools on a real session (demo__textkit-1)', () => {
  let box: ContainerSandbox;
  let ctx: ToolContext;
  const call = (name: string, args: unknown): Promise<ToolResult> => runTool(tools, name, typeof args === 'string' ? args : JSON.stringify(args), ctx);

  beforeAll(async () => {
    box = await startSession({ config, instance, runId: 'test-tools' });
    const task = { instanceId: instance.instance_id, testCommand: box.info.testCommand, logParser: box.info.logParser };
    ctx = { sandbox: box, task, signal: new AbortController().signal, outputCapBytes: 30_000 };
  });
  afterAll(async () => {
    await box?.destroy();
  });
  // Every test starts from the base commit: what one test changes must not leak into the next.
  afterEach(async () => {
    await box.exec('git checkout -q -- . && git clean -fdq');
  });

  it('lists a directory, deeper with depth, without .git', async () => {
    const root = await call('list_dir', {});
    expect(root.isError).toBeFalsy();
    expect(root.output.split('\n')).toEqual(expect.arrayContaining(['README.md', 'textkit/', 'tests/']));
    expect(root.output).not.toContain('.git');
    expect(root.output).not.toContain('textkit/slugify.py');
    expect((await call('list_dir', { path: '.', depth: 2 })).output).toContain('textkit/slugify.py');
    expect((await call('list_dir', { path: 'textkit' })).output.split('\n')).toContain('textkit/slugify.py');
    expect(await call('list_dir', { path: 'nope' })).toMatchObject({ isError: true, output: expect.stringMatching(/no directory `nope`/) });
    expect(await call('list_dir', { depth: 9 })).toMatchObject({ isError: true, output: expect.stringMatching(/invalid arguments for list_dir:\n- depth: /) });
  });

  it('reads a file with numbered lines and a range, refuses binary files and says when a file is missing', async () => {
    const slug = (await box.readFile('textkit/slugify.py'))!.toString().split('\n');
    const defLine = slug.findIndex((l) => l.startsWith('def slugify')) + 1;
    const part = await call('read_file', { path: 'textkit/slugify.py', start_line: defLine, end_line: defLine + 1 });
    expect(part.output).toBe(`${String(defLine).padStart(5)}\t${slug[defLine - 1]}\n${String(defLine + 1).padStart(5)}\t${slug[defLine]}\n[lines ${defLine}-${defLine + 1} of ${slug.length - 1}]`);
    expect((await call('read_file', { path: '/testbed/textkit/slugify.py' })).output).toMatch(/^ {4}1\t"""Turn arbitrary titles/);
    expect(await call('read_file', { path: 'textkit/nope.py' })).toMatchObject({ isError: true, output: expect.stringMatching(/no file `textkit\/nope.py`; use list_dir/) });
    expect(await call('read_file', { path: 'textkit' })).toMatchObject({ isError: true, output: expect.stringMatching(/is a directory/) });
    expect(await call('read_file', { path: '/etc/passwd' })).toMatchObject({ isError: true, output: expect.stringMatching(/outside the repository/) });
    await box.writeFile('data.bin', Buffer.from([1, 0, 2, 3]));
    expect(await call('read_file', { path: 'data.bin' })).toMatchObject({ isError: true, output: expect.stringMatching(/binary file \(4 bytes\)/) });
  });

  it('searches the repository, untracked files included, and reports a bad pattern', async () => {
    const found = await call('search', { pattern: 'def slugify' });
    expect(found.output).toMatch(/^textkit\/slugify\.py:\d+:def slugify\(/m);
    await box.writeFile('scratch/new_module.py', 'def slugify_more():\n    pass\n');
    expect((await call('search', { pattern: 'DEF SLUGIFY_', case_sensitive: false })).output).toMatch(/^scratch\/new_module\.py:1:def slugify_more/m);
    expect((await call('search', { pattern: 'slugify(', fixed_string: true, path: 'tests', glob: '*.py' })).output).toMatch(/^tests\/test_slugify\.py:\d+:/m);
    expect((await call('search', { pattern: 'def slugify', glob: '*.md' })).output).toBe('no matches');
    expect(await call('search', { pattern: 'slugify', path: 'no/such/dir' })).toMatchObject({ isError: true, output: expect.stringMatching(/no file or directory `no\/such\/dir`/) });
    expect(await call('search', { pattern: 'a(' })).toMatchObject({ isError: true, output: expect.stringMatching(/search failed/) });
  });

  it('outlines a module and says which languages it can parse', async () => {
    const out = await call('outline', { path: 'textkit/slugify.py' });
    expect(out.output).toMatch(/^textkit\/slugify\.py \(python\):/);
    expect(out.output).toMatch(/\d+-\d+ {2}def slugify\(text: str/);
    expect(out.output).toContain('_DISALLOWED = re.compile');
    expect(await call('outline', { path: 'README.md' })).toMatchObject({ isError: true, output: expect.stringMatching(/supports Python \(\.py\), JavaScript/) });
  });

  it('finds where a symbol is defined, not where it is used', async () => {
    const out = await call('find_symbol', { name: 'slugify' });
    expect(out.output).toMatch(/^textkit\/slugify\.py:\d+ function slugify — def slugify\(text: str/);
    expect(out.output).not.toContain('tests/');
    expect((await call('find_symbol', { name: 'no_such_thing_anywhere' })).output).toMatch(/no definition of `no_such_thing_anywhere` found/);
    expect(await call('find_symbol', { name: 'not a name' })).toMatchObject({ isError: true, output: expect.stringMatching(/invalid arguments for find_symbol:\n- name: /) });
  });

  it('runs the named test files and returns parsed statuses, failures by name', async () => {
    const base = await call('run_tests', { files: ['tests/test_slugify.py'] });
    expect(base.output).toMatch(/^\$ python3 -m pytest -rA -p no:cacheprovider tests\/test_slugify\.py\nexit code 0; (\d+) tests: \1 PASSED\n/);
    expect(base.output).toContain('--- last 60 lines of output ---');
    await box.writeFile('tests/test_probe.py', 'def test_ok():\n    pass\n\n\ndef test_bad():\n    assert 1 == 2\n');
    const mixed = await call('run_tests', { files: ['tests/test_probe.py', 'tests/test_slugify.py::test_basic_words'] });
    expect(mixed.output).toMatch(/exit code 1; 3 tests: 2 PASSED, 1 FAILED\nFAILED \(1\):\n {2}tests\/test_probe\.py::test_bad\n/);
    expect(mixed.output).toMatch(/assert 1 == 2/);
    expect(await call('run_tests', { files: ['../etc/test_x.py'] })).toMatchObject({ isError: true, output: expect.stringMatching(/leaves the repository/) });
    expect(await call('run_tests', { files: [] })).toMatchObject({ isError: true, output: expect.stringMatching(/- files: /) });
  });

  it('applies a real diff to the slugify module; sandbox.diff shows it and the tests still run', async () => {
    const lines = (await box.readFile('textkit/slugify.py'))!.toString().split('\n');
    const at = lines.findIndex((l) => l.includes('text = _DISALLOWED.sub')) + 1;
    const diff = [
      '--- a/textkit/slugify.py',
      '+++ b/textkit/slugify.py',
      `@@ -${at},2 +${at},3 @@`,
      ` ${lines[at - 1]}`,
      '+    text = text.replace("-", " ")',
      ` ${lines[at]}`,
      '--- /dev/null',
      '+++ b/textkit/extra.py',
      '@@ -0,0 +1 @@',
      '+EXTRA = 1',
      '',
    ].join('\n');
    const result = await call('apply_diff', { diff });
    expect(result).toEqual({ output: 'applied the diff:\n  modified textkit/slugify.py\n  created textkit/extra.py' });
    const after = await box.diff();
    expect(after).toContain('diff --git a/textkit/slugify.py b/textkit/slugify.py');
    expect(after).toContain('+    text = text.replace("-", " ")');
    expect(after).toContain('+EXTRA = 1');
    expect((await call('run_tests', { files: ['tests/test_slugify.py'] })).output).toMatch(/PASSED/);
  });

  it('writes nothing when one hunk of a diff fails, and names that hunk', async () => {
    const diff = [
      '--- a/README.md',
      '+++ b/README.md',
      '@@ -1 +1,2 @@',
      ...(await box.readFile('README.md'))!.toString().split('\n').slice(0, 1).map((l) => ` ${l}`),
      '+a line that must not be written',
      '--- a/textkit/slugify.py',
      '+++ b/textkit/slugify.py',
      '@@ -5,1 +5,1 @@',
      '-_NOT_IN_THE_FILE = None',
      '+_ALSO_NOT = None',
      '',
    ].join('\n');
    const result = await call('apply_diff', { diff });
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/^The diff did not apply \(1 problem\):/);
    expect(result.output).toContain('- `textkit/slugify.py`, hunk 1:');
    expect(result.output).toMatch(/Nothing was written\.$/);
    expect(await box.diff()).toBe('');
  });

  it('edits a unique string, and refuses one that occurs several times or not at all', async () => {
    const many = await call('edit', { path: 'textkit/slugify.py', old_string: 'separator', new_string: 'sep' });
    expect(many).toMatchObject({ isError: true, output: expect.stringMatching(/old_string occurs \d+ times \(at lines \d+, \d+/) });
    const none = await call('edit', { path: 'textkit/slugify.py', old_string: 'def slugify(txt: str):', new_string: 'x' });
    expect(none).toMatchObject({ isError: true, output: expect.stringMatching(/not found.*closest line is \d+: `def slugify\(text: str/) });
    expect(await box.diff()).toBe('');
    const ok = await call('edit', { path: 'textkit/slugify.py', old_string: '_WHITESPACE = re.compile(r"\\s+")', new_string: '_WHITESPACE = re.compile(r"[\\s-]+")' });
    expect(ok).toEqual({ output: 'edited textkit/slugify.py: replaced 1 occurrence' });
    expect(await box.diff()).toContain('+_WHITESPACE = re.compile(r"[\\s-]+")');
    expect(await call('edit', { path: 'textkit/new.py', old_string: 'a', new_string: 'b' })).toMatchObject({ isError: true, output: expect.stringMatching(/use write_file/) });
  });

  it('writes a file and warns at once about the syntax errors it has', async () => {
    const good = await call('write_file', { path: 'textkit/helpers/fine.py', content: 'def ok():\n    return 1\n' });
    expect(good).toEqual({ output: 'created textkit/helpers/fine.py (2 lines)' });
    const broken = await call('write_file', { path: 'textkit/slugify.py', content: 'def slugify(text:\n    return text\n' });
    expect(broken.isError).toBeFalsy();
    expect(broken.output).toMatch(/^overwrote textkit\/slugify\.py \(2 lines\)\n\nWARNING: .*\nsyntax errors in textkit\/slugify\.py: line \d+ col \d+: /);
    expect((await box.readFile('textkit/slugify.py'))!.toString()).toBe('def slugify(text:\n    return text\n');
  });

  it('runs bash with its exit code, and kills a command past its timeout', async () => {
    expect(await call('bash', { command: 'pwd; echo oops >&2; exit 3' })).toEqual({ output: 'exit code 3\n/testbed\noops' });
    const slow = await call('bash', { command: 'echo started; sleep 20', timeout_seconds: 1 });
    expect(slow.output).toMatch(/^TIMED OUT after [\d.]+ s: the command was killed.*\nstarted$/);
    expect(makeToolset({ bash: false }).map((t) => t.id)).not.toContain('bash');
    expect(await runTool(makeToolset({ bash: false }), 'bash', '{"command":"true"}', ctx)).toMatchObject({ isError: true, output: expect.stringMatching(/unknown tool "bash"/) });
  });

  it('gives readable errors for a missing field, a wrong type and arguments that are not JSON', async () => {
    expect(await call('read_file', '{}')).toEqual({ isError: true, output: expect.stringMatching(/^invalid arguments for read_file:\n- path: /) });
    expect(await call('read_file', '{"path": 5}')).toEqual({ isError: true, output: expect.stringMatching(/^invalid arguments for read_file:\n- path: .*string/) });
    expect(await call('bash', '{"command": "ls"')).toEqual({ isError: true, output: expect.stringMatching(/^the arguments of bash are not valid JSON/) });
    for (const spec of toolSpecs(tools)) expect(spec.parameters).toMatchObject({ type: 'object' });
  });

  it('cuts long output centrally, keeping head and tail', async () => {
    const small = { ...ctx, outputCapBytes: 200 };
    const out = await runTool(tools, 'bash', JSON.stringify({ command: 'seq 1 2000' }), small);
    expect(out.output).toMatch(/^exit code 0\n1\n2\n/);
    expect(out.output).toMatch(/bytes cut/);
    expect(out.output).toMatch(/\n2000$/);
  });

  it('submits with the size of the current diff', async () => {
    await call('edit', { path: 'README.md', old_string: (await box.readFile('README.md'))!.toString().split('\n')[0], new_string: '# textkit (edited)' });
    const result = await call('submit', { note: 'done' });
    expect(result).toMatchObject({ submitted: true, output: expect.stringMatching(/^submitted: 1 file\(s\) changed, \d+ lines of diff \(README\.md\)$/) });
  });
});
