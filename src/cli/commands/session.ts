import { loadHarnessConfig, type HarnessConfig } from '../../config/harness-config.js';
import { containerRuntime } from '../../runtime/registry.js';
import { HarnessError } from '../../errors.js';
import { sandboxProvider } from '../../sandbox/registry.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { listSessions } from '../../sandbox/sessions.js';
import { loadSelection, type SelectionOptions } from '../load-selection.js';
import { renderTable } from '../table.js';

export interface SessionOptions extends SelectionOptions {
  instance?: string;
  runId?: string;
}

type Action = (config: HarnessConfig, args: string[], values: SessionOptions) => Promise<number>;

function need(args: string[], count: number, usage: string): void {
  if (args.length < count) throw new HarnessError('USAGE', `usage: swe-harness session ${usage}`);
}

const ACTIONS: Record<string, Action> = {
  start: async (_config, _args, values) => {
    const instanceId = values.instance;
    if (!instanceId) throw new HarnessError('USAGE', 'session start needs --dataset D --instance ID');
    const selection = await loadSelection({ ...values, instanceIds: [instanceId] });
    const instance = selection.instances[0];
    if (!instance) throw new HarnessError('USAGE', `no instance ${instanceId} in the dataset`);
    using box = await sandboxProvider().start({ config: selection.config, instance, runId: values.runId ?? 'session', repoDirs: selection.repoDirs });
    process.stdout.write(`${box.sessionId}\n`);
    return 0;
  },
  exec: async (config, args) => {
    need(args, 2, 'exec SESSION -- COMMAND...');
    using box = sandboxProvider().attach(config, args[0] as string);
    const result = await box.exec(args.slice(1).join(' '));
    process.stdout.write(result.output);
    if (result.timedOut) process.stderr.write('(timed out)\n');
    return result.exitCode ?? 124;
  },
  read: async (config, args) => {
    need(args, 2, 'read SESSION PATH');
    using box = sandboxProvider().attach(config, args[0] as string);
    const content = await box.readFile(args[1] as string);
    if (content === null) throw new HarnessError('USAGE', `no file ${args[1]} in session ${args[0]}`);
    process.stdout.write(content);
    return 0;
  },
  diff: async (config, args) => {
    need(args, 1, 'diff SESSION');
    using box = sandboxProvider().attach(config, args[0] as string);
    process.stdout.write(await box.diff());
    return 0;
  },
  pause: async (config, args) => simple(config, args, 'pause', (b) => b.pause()),
  resume: async (config, args) => simple(config, args, 'resume', (b) => b.resume()),
  stop: async (config, args) => simple(config, args, 'stop', (b) => b.destroy()),
  snapshot: async (config, args) => {
    need(args, 1, 'snapshot SESSION [NAME]');
    using box = sandboxProvider().attach(config, args[0] as string);
    const info = await box.snapshot(args[1]);
    process.stdout.write(`${info.name} ${info.image}\n`);
    return 0;
  },
  restore: async (config, args) => simple(config, args, 'restore SESSION NAME', (b) => b.restore(args[1] as string), 2),
  list: async (config) => {
    const rows = await Promise.all(
      listSessions(config).map(async (s) => [s.sessionId, s.instanceId, s.runId, await sandboxProvider().attach(config, s.sessionId).status(), s.snapshots.map((n) => n.name).join(','), s.createdAt.slice(0, 19)]),
    );
    process.stdout.write(`${renderTable(['session', 'instance', 'run', 'status', 'snapshots', 'created'], rows)}\n`);
    return 0;
  },
};

async function simple(config: HarnessConfig, args: string[], usage: string, act: (box: Sandbox) => Promise<void>, count = 1): Promise<number> {
  need(args, count, `${usage.includes('SESSION') ? usage : `${usage} SESSION`}`);
  using box = sandboxProvider().attach(config, args[0] as string);
  await act(box);
  return 0;
}

/** `swe-harness session ACTION ...`: drive a sandbox session by hand or from an outside agent. */
export async function sessionCommand(values: SessionOptions, positionals: string[]): Promise<number> {
  const [action, ...args] = positionals;
  const run = action ? ACTIONS[action] : undefined;
  if (!run) throw new HarnessError('USAGE', `session takes one of: ${Object.keys(ACTIONS).join(', ')}`);
  await containerRuntime().assertAvailable();
  return run(loadHarnessConfig(values.config), args, values);
}
