import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { containersOfRun, startCli } from '../helpers/cli-process.js';
import { calcSource, HOSTILE_LIMITS, hostProcessesWith, makeHostileTask, type HostileTask } from '../helpers/hostile-task.js';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server.js';

/**
 * Issue 18: every command ends on its own once its work is done, whatever happened on the
 * way. Each case runs the real CLI as a child process and fails when it has not exited within
 * EXIT_BOUND_MS of the line that ends its work (or of a signal / its stdin closing). A leak
 * names itself: the child runs with SWE_HARNESS_DEBUG_HANDLES=1.
 */

const DEMO = path.join(PROJECT_ROOT, 'instances/demo');
const TEXTKIT = 'demo__textkit-1';
const work = mkdtempSync(path.join(os.tmpdir(), 'cli-exits-'));
let h: HostileTask;
let configFile: string;
let calcDataset: string;

/** A patch to the demo's textkit that loops forever when the module is imported. */
const LOOP_AT_IMPORT = [
  'diff --git a/textkit/slugify.py b/textkit/slugify.py',
  '--- a/textkit/slugify.py',
  '+++ b/textkit/slugify.py',
  '@@ -1,3 +1,6 @@',
  ' """Turn arbitrary titles into URL-safe slugs."""',
  ' ',
  '+while True:',
  '+    pass',
  '+',
  ' import re',
  '',
].join('\n');

function writeJsonl(name: string, rows: unknown[]): string {
  const file = path.join(work, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

function prediction(id: string, patch: string | null, model = 'exits'): Record<string, unknown> {
  return { instance_id: id, model_name_or_path: model, model_patch: patch };
}

function report(runId: string, model: string, id: string): { resolved: boolean; error?: { code: string } } {
  return JSON.parse(readFileSync(path.join(work, 'runs', runId, model, id, 'report.json'), 'utf8'))[id];
}

beforeAll(() => {
  // The demo's specs with an 8 s test timeout, and the hostile suite's calc task (12 s, tight limits).
  const demoSpecs = path.join(work, 'demo-specs');
  cpSync(path.join(PROJECT_ROOT, 'config/specs'), demoSpecs, { recursive: true });
  const textkitSpec = path.join(demoSpecs, 'demo__textkit.yaml');
  writeFileSync(textkitSpec, readFileSync(textkitSpec, 'utf8').replace('timeouts: {test: 300}', 'timeouts: {test: 8}'));
  h = makeHostileTask();
  configFile = path.join(work, 'config.yaml');
  writeFileSync(
    configFile,
    [
      `spec_dirs: [${JSON.stringify(h.task.config.spec_dirs[0])}, ${JSON.stringify(demoSpecs)}]`,
      `run: {root: ${JSON.stringify(path.join(work, 'runs'))}}`,
      `state_dir: ${JSON.stringify(path.join(work, 'state'))}`,
      `images: {log_dir: ${JSON.stringify(path.join(work, 'build-logs'))}}`,
      `sandbox: ${JSON.stringify(HOSTILE_LIMITS)}`,
      '',
    ].join('\n'),
  );
  calcDataset = writeJsonl('calc.jsonl', [h.task.instance, h.twin]);
});

describe('issue 18: the CLI exits once its work is done (real CLI, real Docker)', () => {
  it('evaluate: the demo patch that loops at import is killed at the 8 s timeout, the summary prints, and the process exits', async () => {
    const runId = 'test-exits-demo-timeout';
    const preds = writeJsonl('loop.jsonl', [prediction(TEXTKIT, LOOP_AT_IMPORT)]);
    const cli = startCli(['evaluate', '-d', DEMO, '--instance-ids', TEXTKIT, '-p', preds, '-r', runId, '--force', '--config', configFile], { doneWhen: /^reports: /m });
    const code = await cli.exit;
    expect(code, cli.stderr).toBe(2);
    expect(cli.stdout).toContain('0/1 resolved');
    const r = report(runId, 'exits', TEXTKIT);
    expect(r.resolved).toBe(false);
    // Which of the two timeouts (the eval script's own or the harness's kill) ends it first varies.
    expect(['TEST_TIMEOUT', 'TEST_LOG', 'CONTAINER_EXITED']).toContain(r.error?.code);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it("evaluate -j 2: the hostile suite's attacks and a patch that does not apply, in one batch, and the process exits", async () => {
    const runId = 'test-exits-hostile';
    const attacks: Record<string, string> = {
      loop: h.task.patchWith(calcSource('while True:\n    pass')),
      'memory-bomb': h.task.patchWith(calcSource("hog = []\nwhile True:\n    hog.append(b'x' * (64 * 1024 * 1024))")),
      'fork-bomb': h.task.patchWith(calcSource('while True:\n    try:\n        os.fork()\n    except OSError:\n        pass', 'import os')),
      'lingering-child': h.task.patchWith(
        calcSource(
          [
            "log = open('/proc/%d/fd/1' % os.getppid(), 'wb')",
            "subprocess.Popen(['sleep', '987654'], stdout=log, stderr=log)",
            "subprocess.Popen(['sleep', '987655'], start_new_session=True)",
            'return a - b',
          ].join('\n'),
          'import os\nimport subprocess',
        ),
      ),
      'yes-flood': h.task.patchWith(calcSource("raw = open('/proc/%d/fd/1' % os.getppid(), 'wb')\nsubprocess.Popen(['yes', 'y' * 100], stdout=raw)\nreturn a - b", 'import os\nimport subprocess')),
      'no-apply': 'diff --git a/nothing.py b/nothing.py\n--- a/nothing.py\n+++ b/nothing.py\n@@ -1,1 +1,1 @@\n-not there\n+still not\n',
    };
    // The instance ids of earlier hostile runs, so their images are reused.
    const ids = ['test__calc-1', 'test__calc-2', 'test__calc-3', 'test__calc-blank', 'test__calc-noapply', 'test__calc-binary'];
    const names = Object.keys(attacks);
    const instances: Instance[] = names.map((_, i) => ({ ...h.task.instance, instance_id: ids[i] as string }));
    const dataset = writeJsonl('hostile.jsonl', instances);
    const preds = writeJsonl('hostile-preds.jsonl', names.map((name, i) => prediction(ids[i] as string, attacks[name] as string)));
    const cli = startCli(['evaluate', '-d', dataset, '-p', preds, '-r', runId, '-j', '2', '--force', '--config', configFile], { doneWhen: /^reports: /m });
    const code = await cli.exit;
    expect([0, 2], cli.stderr).toContain(code);
    expect(cli.stdout).toContain(`0/${names.length} resolved`);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it('evaluate interrupted by SIGINT mid-grading: exit code 130 and no container of the run is left', async () => {
    const runId = 'test-exits-sigint';
    const preds = writeJsonl('sigint.jsonl', [prediction(TEXTKIT, LOOP_AT_IMPORT)]);
    const cli = startCli(['evaluate', '-d', DEMO, '--instance-ids', TEXTKIT, '-p', preds, '-r', runId, '--force', '--config', configFile]);
    while ((await containersOfRun(runId)).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    cli.child.kill('SIGINT');
    cli.ended();
    expect(await cli.exit, cli.stderr).toBe(130);
    expect(cli.stderr).toContain('interrupted');
    expect(await containersOfRun(runId)).toEqual([]);
    // Cut short is not a result: nothing a rerun could reuse was written.
    expect(readdirSync(path.join(work, 'runs', runId), { recursive: true }).filter((f) => String(f).endsWith('report.json'))).toEqual([]);
  });

  it('a second SIGINT exits at once, and cleanup removes what it left', async () => {
    const runId = 'test-exits-sigint-twice';
    const preds = writeJsonl('sigint-twice.jsonl', [prediction(TEXTKIT, LOOP_AT_IMPORT)]);
    const cli = startCli(['evaluate', '-d', DEMO, '--instance-ids', TEXTKIT, '-p', preds, '-r', runId, '--force', '--config', configFile]);
    while ((await containersOfRun(runId)).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    cli.child.kill('SIGINT');
    cli.child.kill('SIGINT');
    cli.ended();
    expect(await cli.exit, cli.stderr).toBe(130);
    const cleanup = startCli(['cleanup', '--run-id', runId, '--config', configFile], { doneWhen: /^removed /m });
    expect(await cleanup.exit, cleanup.stderr).toBe(0);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it('session start, exec of a command, exec that fails, stop: each exits', async () => {
    const runId = 'test-exits-session';
    const start = startCli(['session', 'start', '-d', DEMO, '--instance', TEXTKIT, '--run-id', runId, '--config', configFile], { doneWhen: /^s-[0-9a-f]+$/m });
    expect(await start.exit, start.stderr).toBe(0);
    const id = start.stdout.trim();
    const exec = startCli(['session', 'exec', id, '--config', configFile, '--', 'echo', 'exec-done'], { doneWhen: /exec-done/ });
    expect(await exec.exit, exec.stderr).toBe(0);
    const failing = startCli(['session', 'exec', id, '--config', configFile, '--', 'echo failing-done; exit 3'], { doneWhen: /failing-done/ });
    expect(await failing.exit, failing.stderr).toBe(3);
    const stop = startCli(['session', 'stop', id, '--config', configFile]);
    expect(await stop.exit, stop.stderr).toBe(0);
    // A command on a session whose container is gone fails, and exits.
    const gone = startCli(['session', 'exec', id, '--config', configFile, '--', 'true'], { doneWhen: /^error/m });
    expect(await gone.exit).toBe(1);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it('mcp over stdio exits when its client closes stdin, and stops the session it started', async () => {
    const runId = 'test-exits-mcp';
    const cli = startCli(['mcp', '-d', DEMO, '--instance', TEXTKIT, '--run-id', runId, '--config', configFile], { stdin: 'pipe' });
    await cli.printed(/serving MCP on stdio/);
    cli.child.stdin?.end();
    cli.ended();
    expect(await cli.exit, cli.stderr).toBe(0);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it('run --agent gold -j 2 grades both and exits', async () => {
    const runId = 'test-exits-run-gold';
    const cli = startCli(['run', '-d', calcDataset, '--agent', 'gold', '-j', '2', '-r', runId, '--config', configFile], { doneWhen: /^predictions: /m });
    expect(await cli.exit, cli.stderr).toBe(0);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  it('run --agent command whose program leaves a process holding its output ends, and nothing it started lives on', async () => {
    const runId = 'test-exits-run-command';
    const marker = `${process.pid}424242`;
    const command = `sleep ${marker} & echo started; exit 1`;
    const args = ['run', '-d', DEMO, '--instance-ids', TEXTKIT, '--agent', 'command', '--agent-command', command, '-r', runId, '--config', configFile];
    const cli = startCli(args, { doneWhen: /^predictions: /m, overallMs: 240_000 });
    expect(await cli.exit, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('agent_error');
    expect(hostProcessesWith(marker)).toEqual([]);
    expect(await containersOfRun(runId)).toEqual([]);
  });

  describe('with a scripted model', () => {
    let server: ScriptedModelServer;
    beforeAll(async () => {
      server = await startScriptedModelServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('run --agent model whose model answers 401: the episode ends in an error and the process exits', async () => {
      const runId = 'test-exits-model-error';
      server.script([{ kind: 'error', status: 401, message: 'invalid api key' }]);
      const args = ['run', '-d', DEMO, '--instance-ids', TEXTKIT, '--agent', 'model', '--model', 'scripted-gpt', '--provider', 'openai', '--base-url', `${server.url}/v1`, '--api-key-env', 'none', '-r', runId, '--config', configFile];
      const cli = startCli(args, { doneWhen: /^predictions: |^error/m });
      const code = await cli.exit;
      expect(code).not.toBeNull();
      expect(server.requests.length).toBeGreaterThan(0);
      expect(await containersOfRun(runId)).toEqual([]);
    });

    it('run --agent model interrupted by SIGINT while waiting on the model: exit code 130, its session removed', async () => {
      const runId = 'test-exits-run-sigint';
      server.script([{ kind: 'answer', text: 'thinking', delayMs: 60_000 }]);
      const args = ['run', '-d', DEMO, '--instance-ids', TEXTKIT, '--agent', 'model', '--model', 'scripted-gpt', '--provider', 'openai', '--base-url', `${server.url}/v1`, '--api-key-env', 'none', '-r', runId, '--config', configFile];
      const cli = startCli(args);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await containersOfRun(runId)).toHaveLength(1);
      cli.child.kill('SIGINT');
      cli.ended();
      expect(await cli.exit, cli.stderr).toBe(130);
      expect(await containersOfRun(runId)).toEqual([]);
    });
  });

  it('images build and cleanup exit', async () => {
    const build = startCli(['images', 'build', '-d', DEMO, '--instance-ids', TEXTKIT, '--config', configFile], { doneWhen: new RegExp(`${TEXTKIT}: `) });
    expect(await build.exit, build.stderr).toBe(0);
    const cleanup = startCli(['cleanup', '--run-id', 'test-exits-nothing', '--config', configFile], { doneWhen: /^removed /m });
    expect(await cleanup.exit, cleanup.stderr).toBe(0);
  });
});
