import { loadHarnessConfig, type HarnessConfig } from '../../config/harness-config.js';
import { assertDockerAvailable } from '../../docker/client.js';
import { HarnessError } from '../../errors.js';
import { attachSession, listSessions, startSession } from '../../sandbox/sessions.js';
import { loadSelection } from '../load-selection.js';
import { renderTable } from '../table.js';

type Action = (config: HarnessConfig, args: string[], values: Record<string, unknown>) => Promise<number>;

function need(args: string[], count: number, usage: string): void {
  if (args.length < count) throw new HarnessError('USAGE', `usage: swe-harness session ${usage}`);
}

const ACTIONS: Record<string, Action> = {
  start: async (_config, _args, values) => {
    const instanceId = values.instance as string | undefined;
    if (!instanceId) throw new HarnessError('USAGE', 'session start needs --dataset D --instance ID');
    const selection = await loadSelection({ ...values, 'instance-ids': [instanceId] });
    const instance = selection.instances[0];
    if (!instance) throw new HarnessError('USAGE', `no instance ${instanceId} in the dataset`);
    const box = await startSession({ config: selection.config, instance, runId: (values['run-id'] as string | undefined) ?? 'session', repoDirs: selection.repoDirs });
    process.stdout.write(`${box.sessionId}\n`);
    box.close();
    return 0;
  },
  exec: async (config, args) => {
    need(args, 2, 'exec SESSION -- COMMAND...');
    const box = attachSession(config, args[0] as string);
    const result = await box.exec(args.slice(1).join(' '));
    process.stdout.write(result.output);
    box.close();
    if (result.timedOut) process.stderr.write('(timed out)\n');
    return result.exitCode ?? 124;
  },
  read: async (config, args) => {
    need(args, 2, 'read SESSION PATH');
    const box = attachSession(config, args[0] as string);
    const content = await box.readFile(args[1] as string);
    box.close();
    if (content === null) throw new HarnessError('USAGE', `no file ${args[1]} in session ${args[0]}`);
    process.stdout.write(content);
    return 0;
  },
  diff: async (config, args) => {
    need(args, 1, 'diff SESSION');
    const box = attachSession(config, args[0] as string);
    process.stdout.write(await box.diff());
    box.close();
    return 0;
  },
  pause: async (config, args) => simple(config, args, 'pause', (b) => b.pause()),
  resume: async (config, args) => simple(config, args, 'resume', (b) => b.resume()),
  stop: async (config, args) => simple(config, args, 'stop', (b) => b.destroy()),
  snapshot: async (config, args) => {
    need(args, 1, 'snapshot SESSION [NAME]');
    const info = await attachSession(config, args[0] as string).snapshot(args[1]);
    process.stdout.write(`${info.name} ${info.image}\n`);
    return 0;
  },
  restore: async (config, args) => simple(config, args, 'restore SESSION NAME', (b) => b.restore(args[1] as string), 2),
  list: async (config) => {
    const rows = await Promise.all(
      listSessions(config).map(async (s) => [s.sessionId, s.instanceId, s.runId, await attachSession(config, s.sessionId).status(), s.snapshots.map((n) => n.name).join(','), s.createdAt.slice(0, 19)]),
    );
    process.stdout.write(`${renderTable(['session', 'instance', 'run', 'status', 'snapshots', 'created'], rows)}\n`);
    return 0;
  },
};

async function simple(config: HarnessConfig, args: string[], usage: string, act: (box: ReturnType<typeof attachSession>) => Promise<void>, count = 1): Promise<number> {
  need(args, count, `${usage.includes('SESSION') ? usage : `${usage} SESSION`}`);
  await act(attachSession(config, args[0] as string));
  return 0;
}

/** `swe-harness session ACTION ...`: drive a sandbox session by hand or from an outside agent. */
export async function sessionCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [action, ...args] = positionals;
  const run = action ? ACTIONS[action] : undefined;
  if (!run) throw new HarnessError('USAGE', `session takes one of: ${Object.keys(ACTIONS).join(', ')}`);
  await assertDockerAvailable();
  return run(loadHarnessConfig(values.config as string | undefined), args, values);
}
