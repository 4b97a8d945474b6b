import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkRunAgentConfig, contextPolicy, loadAgent } from '../../src/agent/agent-config.js';
import { initialMessagesFor } from '../../src/agent/prompts.js';
import { shippedAgentConfigs } from '../../src/config/agent-config.js';
import { parseTemplate, renderTemplate } from '../../src/config/template.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import type { ExecResult } from '../../src/runtime/container-runtime.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));

function writeConfig(name: string, content: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(content));
  return file;
}

const instance = {
  instance_id: 'octo__widgets-7',
  repo: 'octo/widgets',
  version: '2.1',
  base_commit: 'abc1234',
  problem_statement: '  The widget breaks.\n',
  hints_text: 'Look at widget.py',
  patch: '',
  test_patch: '',
  created_at: '',
  FAIL_TO_PASS: [],
  PASS_TO_PASS: [],
} as Instance;

/** The sandbox as the prompts see it: `find` answers with a listing, as in a real image. */
const commands: string[] = [];
const sandbox = {
  workdir: '/testbed',
  exec: async (command: string): Promise<ExecResult> => {
    commands.push(command);
    return { exitCode: 0, output: 'setup.py\nsrc/\nsrc/widget.py\n', timedOut: false, truncated: false, durationMs: 1 };
  },
};

const minimalTools = { bash: null, submit: null };

describe('agent config templates', () => {
  it('renders every field of the instance, hints and the repository layout included', async () => {
    const file = writeConfig('all-fields', {
      system_template: 'repo {{repo}} v{{ version }} at {{base_commit}} in {{workdir}}',
      instance_template: '{{instance_id}}|{{problem_statement}}|{{#hints_text}}hints: {{hints_text}}{{/hints_text}}|{{repo_tree}}',
      include_hints: true,
      tools: minimalTools,
    });
    commands.length = 0;
    const messages = await initialMessagesFor(loadAgent(file).config, instance, sandbox);
    expect(messages).toEqual([
      { role: 'system', content: 'repo octo/widgets v2.1 at abc1234 in /testbed' },
      { role: 'user', content: 'octo__widgets-7|The widget breaks.|hints: Look at widget.py|setup.py\nsrc/\nsrc/widget.py' },
    ]);
    expect(commands[0]).toMatch(/find \. -mindepth 1 -maxdepth 2 /);
  });

  it('shows a section only when its field is not empty, and never lists the tree unless asked', async () => {
    const file = writeConfig('sections', { system_template: 's', instance_template: 'a{{#hints_text}}[{{hints_text}}]{{/hints_text}}b', include_hints: true, tools: minimalTools });
    commands.length = 0;
    const messages = await initialMessagesFor(loadAgent(file).config, { ...instance, hints_text: '  ' }, sandbox);
    expect(messages[1]?.content).toBe('ab');
    expect(commands).toEqual([]);
  });

  it('inserts values as they are: braces in a problem statement are not template tags', () => {
    expect(renderTemplate('<{{problem_statement}}>', { problem_statement: 'use {{x}} here' })).toBe('<use {{x}} here>');
    expect(parseTemplate('{{a}} {{#b}}x', ['a', 'b']).problems).toEqual(['{{#b}} is never closed']);
  });

  it('the default config reproduces the prompts the harness used before agent configs', async () => {
    const messages = await initialMessagesFor(loadAgent('default').config, instance, sandbox);
    expect(messages).toEqual([
      {
        role: 'system',
        content: [
          'You are a software engineer fixing an issue in a repository checked out at /testbed.',
          'Work only through the tools. Read the code before changing it; reproduce the problem when you can;',
          'make the smallest change that fixes the issue; run the relevant tests; do not edit the existing tests',
          'to make them pass. When you are done, call `submit`. Every answer must call at least one tool.',
        ].join('\n'),
      },
      { role: 'user', content: '<issue>\nThe widget breaks.\n</issue>\n\nFix this issue in /testbed.' },
    ]);
    expect(loadAgent('default').config.no_tool_call_template).toBe('Your last answer called no tool. Every answer must call at least one tool; call `submit` when the fix is done.');
    expect(Object.keys(loadAgent('default').config.tools)).toEqual(['list_dir', 'read_file', 'search', 'outline', 'find_symbol', 'edit', 'apply_diff', 'write_file', 'run_tests', 'bash', 'submit']);
  });
});

describe('loading an agent config', () => {
  it('reports every problem at once, with the file and each path, before any run', () => {
    const file = writeConfig('broken', {
      system_template: 'Fix {{repo}} {{issue}}',
      instance_template: '{{hints_text}} {{oops',
      tools: { bash: { timeout_seconds: -1, colour: 'red' }, telepathy: null },
      limits: { max_steps: 0 },
      model: { temperature: 9 },
      context: { elide_at: 1.5 },
    });
    let message = '';
    try {
      loadAgent(file);
    } catch (err) {
      message = (err as Error).message;
      expect(err).toMatchObject({ code: 'CONFIG_INVALID', context: { file } });
    }
    expect(message).toMatch(/tools\.bash\.timeout_seconds/);
    expect(message).toMatch(/tools\.bash: .*colour/);
    expect(message).toMatch(/limits\.max_steps/);
    expect(message).toMatch(/context\.elide_at/);
    expect(message).toMatch(/tools\.telepathy: unknown tool; known: list_dir, read_file/);
    expect(message).toMatch(/tools: submit is missing/);
    expect(message).toMatch(/system_template: unknown field \{\{issue\}\}/);
    expect(message).toMatch(/instance_template: unknown field \{\{hints_text\}\}.*\(hints_text needs include_hints: true\)/);
    expect(message).toMatch(/instance_template: malformed tag near/);
    expect(message).toMatch(/model\.temperature/);
  });

  it('names the shipped configs when asked for one that does not exist', () => {
    expect(() => loadAgent('no-such-agent')).toThrow(/no agent config "no-such-agent"; shipped: default, minimal/);
  });

  it('loads every shipped config', () => {
    for (const name of shippedAgentConfigs()) expect(loadAgent(name).name).toBe(name);
  });

  it('hashes the content: equal configs alike, any change (tool order included) differently', () => {
    const a = loadAgent(writeConfig('a', { system_template: 's', instance_template: 'i', tools: { bash: null, submit: null } }));
    const same = loadAgent(writeConfig('a2', { instance_template: 'i', tools: { bash: {}, submit: null }, system_template: 's' }));
    const reordered = loadAgent(writeConfig('a3', { system_template: 's', instance_template: 'i', tools: { submit: null, bash: null } }));
    expect(same.hash).toBe(a.hash);
    expect(reordered.hash).not.toBe(a.hash);
    expect(loadAgent('default', { bash: false }).hash).not.toBe(loadAgent('default').hash);
    expect(Object.keys(loadAgent('default', { bash: false }).config.tools)).not.toContain('bash');
  });

  it('elides at a share of the context window, from the config or the model', () => {
    const minimal = loadAgent('minimal');
    expect(contextPolicy(minimal, { model: 'm', contextWindow: 200_000 })).toEqual({ elideAtTokens: 150_000, keepLast: 5 });
    expect(() => contextPolicy(minimal, { model: 'm' })).toThrow(/context\.elide_at needs the context window of m/);
    expect(contextPolicy(loadAgent('default'), { model: 'm' })).toEqual({ keepLast: 5 });
  });
});

describe('resuming a run with another agent config', () => {
  it('is refused with a message naming both configs, unless allowed', () => {
    const runDir = path.join(dir, 'runs/r1');
    checkRunAgentConfig(runDir, loadAgent('default'), false);
    checkRunAgentConfig(runDir, loadAgent('default'), false);
    const minimal = loadAgent('minimal');
    expect(() => checkRunAgentConfig(runDir, minimal, false)).toThrow(
      new RegExp(`run r1 was started with agent config default \\(hash ${loadAgent('default').hash}\\); this one is minimal \\(hash ${minimal.hash}\\).*--allow-config-change`),
    );
    checkRunAgentConfig(runDir, minimal, true);
    checkRunAgentConfig(runDir, minimal, false); // the accepted config is the run's now
  });
});
