#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage, HarnessError, InputError } from '../errors.js';
import { INTERRUPTED_EXIT, reportLeaksAfter, settleInterrupt, stopOnInterrupt } from './interrupt.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const SELECTION: Options = {
  dataset: { type: 'string', short: 'd' },
  split: { type: 'string' },
  revision: { type: 'string' },
  'instance-ids': { type: 'string', multiple: true },
  filter: { type: 'string' },
  sample: { type: 'string' },
  seed: { type: 'string' },
  config: { type: 'string' },
  'repo-cache': { type: 'string', multiple: true },
  'max-workers': { type: 'string', short: 'j' },
  namespace: { type: 'string' },
  'image-registry': { type: 'string' },
};

interface Command {
  summary: string;
  usage: string;
  options: Options;
  run: (values: Record<string, unknown>, positionals: string[]) => Promise<number>;
}

/** The option table: every command, its flags, and the module that does the work. */
const COMMANDS: Record<string, Command> = {
  evaluate: {
    summary: 'grade predictions (gold | empty | FILE) on a dataset in fresh containers',
    usage: 'evaluate --dataset D --predictions gold|empty|FILE --run-id R [-j N] [--instance-ids ID..] [--filter RE] [--sample N --seed S] [--repo-cache DIR] [--split S] [--revision R] [--namespace NS [--image-registry HOST]] [--config F] [--force] [--dry-run] [--json]',
    options: { ...SELECTION, predictions: { type: 'string', short: 'p' }, 'run-id': { type: 'string', short: 'r' }, force: { type: 'boolean' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    run: async (v) => (await import('./commands/evaluate.js')).evaluateCommand(v),
  },
  plan: {
    summary: 'without Docker: the spec entry, images and problems of each instance (as evaluate --dry-run)',
    usage: 'plan --dataset D [--predictions gold|empty|FILE] [--instance-ids ID..] [--filter RE] [--sample N --seed S] [--config F] [--json]',
    options: { ...SELECTION, predictions: { type: 'string', short: 'p' }, json: { type: 'boolean' } },
    run: async (v) => (await import('./commands/plan.js')).planCommand(v),
  },
  run: {
    summary: 'run an agent (model | gold | empty | replay | command) on a dataset, then grade its patches',
    usage: 'run --dataset D --agent A [--model M] [--provider openai|anthropic] [--base-url URL] --run-id R [-j N] [--samples n] [--max-steps N] [--max-cost USD] [--max-time S] [--no-bash] [--agent-config NAME|FILE] [--allow-config-change] [--replay-from DIR] [--agent-command CMD] [selection]',
    options: {
      ...SELECTION,
      agent: { type: 'string', short: 'a' },
      model: { type: 'string', short: 'm' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key-env': { type: 'string' },
      temperature: { type: 'string' },
      'top-p': { type: 'string' },
      seed: { type: 'string' },
      'run-id': { type: 'string', short: 'r' },
      samples: { type: 'string' },
      'max-steps': { type: 'string' },
      'max-cost': { type: 'string' },
      'max-time': { type: 'string' },
      'no-bash': { type: 'boolean' },
      'replay-from': { type: 'string' },
      'agent-command': { type: 'string' },
      'agent-config': { type: 'string' },
      'allow-config-change': { type: 'boolean' },
    },
    run: async (v) => (await import('./commands/run.js')).runCommand(v),
  },
  agents: {
    summary: 'list the shipped agent configs (config/agents), or show one as YAML',
    usage: 'agents list | agents show NAME|FILE',
    options: {},
    run: async (_v, p) => (await import('./commands/agents.js')).agentsCommand(p),
  },
  session: {
    summary: 'start | exec | read | diff | pause | resume | snapshot | restore | stop | list a sandbox session',
    usage: 'session start --dataset D --instance ID | session exec SESSION -- CMD | session read SESSION PATH | session diff|pause|resume|stop SESSION | session snapshot SESSION [NAME] | session restore SESSION NAME | session list',
    options: { ...SELECTION, instance: { type: 'string' }, 'run-id': { type: 'string' } },
    run: async (v, p) => (await import('./commands/session.js')).sessionCommand(v, p),
  },
  mcp: {
    summary: "serve one task's agent tools as a Model Context Protocol server (stdio, or HTTP with --http)",
    usage: 'mcp --dataset D --instance ID [--session ID] [--run-id R] [--http PORT [--host H]] [--no-bash] [--config F] [--repo-cache DIR]',
    options: {
      dataset: { type: 'string', short: 'd' },
      instance: { type: 'string' },
      session: { type: 'string' },
      'run-id': { type: 'string', short: 'r' },
      http: { type: 'string' },
      host: { type: 'string' },
      'no-bash': { type: 'boolean' },
      config: { type: 'string' },
      'repo-cache': { type: 'string', multiple: true },
    },
    run: async (v) => (await import('./commands/mcp.js')).mcpCommand(v),
  },
  cleanup: {
    summary: 'remove containers, snapshots and session state of dead processes, or of one run (refused while a live process uses it)',
    usage: 'cleanup [--run-id R [--force]] [--config F]',
    options: { 'run-id': { type: 'string', short: 'r' }, force: { type: 'boolean' }, config: { type: 'string' } },
    run: async (v) => (await import('./commands/cleanup.js')).cleanupCommand(v),
  },
  report: {
    summary: "write a run's self-contained HTML report (verdicts, failure modes, cost, trajectories, security findings)",
    usage: 'report RUN_DIR [--out FILE.html] [--dataset D]',
    options: { out: { type: 'string', short: 'o' }, dataset: { type: 'string', short: 'd' } },
    run: async (v, p) => (await import('./commands/report.js')).reportCommand(v, p),
  },
  compare: {
    summary: "compare runs on the instances they share: A only / B only / both, McNemar's exact test, failure-mode changes",
    usage: 'compare RUN_A RUN_B [RUN_C ...] [--html FILE] [--dataset D]',
    options: { html: { type: 'string' }, dataset: { type: 'string', short: 'd' } },
    run: async (v, p) => (await import('./commands/report.js')).compareCommand(v, p),
  },
  leaderboard: {
    summary: 'one table of runs: resolved rate with its interval, cost per resolved task, median steps',
    usage: 'leaderboard RUN_DIR... [--html FILE] [--dataset D]',
    options: { html: { type: 'string' }, dataset: { type: 'string', short: 'd' } },
    run: async (v, p) => (await import('./commands/report.js')).leaderboardCommand(v, p),
  },
  images: {
    summary: 'build | list | prune the per-task images',
    usage: 'images build --dataset D [selection] [-j N] [--namespace NS [--image-registry HOST]] | images list [--namespace NS] | images prune [--all] [--namespace NS]',
    options: { ...SELECTION, all: { type: 'boolean' } },
    run: async (v, p) => (await import('./commands/images.js')).imagesCommand(v, p),
  },
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n    swe-harness ${c.usage}`);
  return `swe-harness: SWE-bench-style evaluation in Docker\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) throw new HarnessError('USAGE', `unknown command ${JSON.stringify(name)}\n\n${help()}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new HarnessError('USAGE', `${(cause as Error).message}\nusage: swe-harness ${command.usage}`);
  }
  return command.run(parsed.values, parsed.positionals);
}

stopOnInterrupt();

/** The one place errors become messages and exit codes. */
main(process.argv.slice(2))
  .catch((err: unknown) => {
    // Cut short by Ctrl-C: the interrupt handler said so already.
    if (err instanceof HarnessError && err.code === 'INTERRUPTED') return INTERRUPTED_EXIT;
    const prefix = err instanceof HarnessError ? `error [${err.code}]` : 'error';
    process.stderr.write(`${prefix}: ${err instanceof InputError ? `\n${err.message}` : errorMessage(err)}\n`);
    if (!(err instanceof HarnessError) && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  })
  .then(settleInterrupt)
  .then((code) => {
    process.exitCode = code;
    reportLeaksAfter();
  });
