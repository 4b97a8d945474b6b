#!/usr/bin/env node
import { Command, CommanderError, Option, type OptionValues } from '@commander-js/extra-typings';
import { errorMessage, HarnessError, InputError } from '../errors.js';
import { INTERRUPTED_EXIT, reportLeaksAfter, settleInterrupt, stopOnInterrupt } from './interrupt.js';

/**
 * The option table. commander (no install scripts, no dependencies) gives typed options
 * (@commander-js/extra-typings infers each command's option types from its declaration),
 * help per command and errors for unknown flags; the work of each command is imported only
 * when it runs.
 */

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The flags every dataset command shares. */
function selection<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option('-d, --dataset <path>', 'a .json, .jsonl, .yaml file, a folder of them, or a dataset name (owner/name, lite, verified, full, multilingual)')
    .option('--split <name>', 'the split of a named dataset')
    .option('--revision <rev>', 'the revision of a named dataset')
    .option('--instance-ids <ids>', 'instance ids, comma or space separated (repeatable)', collect, [] as string[])
    .option('--filter <regex>', 'instance ids matching a regular expression')
    .option('--sample <n>', 'a random sample of N instances')
    .option('--sample-seed <s>', 'the seed of --sample')
    .option('--created-after <date>', 'instances created at or after DATE (created_at: 2023-06-28, 2023-06-28T16:44:09Z; UTC unless an offset is given)')
    .option('--created-before <date>', 'instances created before DATE')
    .option('--config <file>', 'the harness config (YAML)')
    .option('--repo-cache <dir>', 'a folder of local clones or mirrors (repeatable)', collect, [] as string[])
    .option('-j, --max-workers <n>', 'instances at a time')
    .option('--namespace <ns>', "published instance images' namespace ('none': build here)")
    .option('--image-registry <host>', 'the registry of the published images')
    .option('--docker-host <url>', "the container engine's socket (DOCKER_HOST), e.g. Podman's unix:///run/podman/podman.sock");
}

/** `--seed` was the sampling seed of every dataset command; on `run` it is now the model's. */
function oldSeed<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd.addOption(new Option('--seed <s>', 'deprecated: use --sample-seed').hideHelp());
}

/** The old `--seed` of the selection, still read (with a note) where it cannot mean the model's. */
function sampleSeed<O extends { sampleSeed?: string; seed?: string }>(opts: O): O {
  if (opts.seed === undefined) return opts;
  process.stderr.write('note: --seed is deprecated for the instance sample; use --sample-seed\n');
  return { ...opts, sampleSeed: opts.sampleSeed ?? opts.seed };
}

let exitCode = 0;
function done(code: number): void {
  exitCode = code;
}

function program(): Command {
  const root = new Command('swe-harness').description('SWE-bench-style evaluation in Docker').exitOverride().configureOutput({ outputError: () => undefined });
  // The engine's address (--docker-host, the config's docker_host) is set before any action makes a client.
  root.hook('preAction', async (_root, command) => {
    if (command.options.some((o) => o.attributeName() === 'config')) (await import('./load-selection.js')).selectEngine(command.opts());
  });

  oldSeed(selection(root.command('evaluate').description('grade predictions (gold | empty | FILE) on a dataset in fresh containers')))
    .option('-p, --predictions <source>', 'gold, empty, or a JSONL/JSON predictions file')
    .option('--samples <source>', 'function-level samples instead of predictions: a JSONL of {task_id, completion}, canonical, or empty')
    .option('--timeout <s>', 'function-level: seconds per sample (default 10)')
    .option('--challenge-tests', "function-level: MBPP's challenge_test_list asserts too (a separate result key)")
    .option('-r, --run-id <id>', 'the run id (letters, digits, _ . -)')
    .option('--force', 'redo every instance, even those whose result key is unchanged')
    .option('--dry-run', 'without Docker: say what would happen (as plan)')
    .option('--cutoff <date>', "a model's training cutoff: resolved rates before and after it (by created_at)")
    .option('--json', 'print the summaries as JSON')
    .option('--queue <url>', 'grade on the workers of this queue (redis://HOST:PORT) instead of here')
    .option('--queue-name <name>', "with --queue: the queue's name (default swe-harness)")
    .action(async (opts) => done(await (await import('./commands/evaluate.js')).evaluateCommand(sampleSeed(opts))));

  oldSeed(selection(root.command('plan').description('without Docker: the spec entry, images and problems of each instance (as evaluate --dry-run)')))
    .option('-p, --predictions <source>', 'gold, empty, or a JSONL/JSON predictions file')
    .option('--json', 'print the plan as JSON')
    .action(async (opts) => done(await (await import('./commands/plan.js')).planCommand(sampleSeed(opts))));

  selection(root.command('run').description('run an agent (model | gold | empty | replay | command) on a dataset, then grade its patches'))
    .option('-a, --agent <name>', 'model, gold, empty, replay or command')
    .option('-m, --model <name>', "the model's name")
    .option('--provider <name>', 'openai or anthropic')
    .option('--base-url <url>', "the provider's endpoint")
    .option('--api-key-env <var>', "the environment variable holding the key ('none': no key)")
    .option('--temperature <t>', 'sampling temperature')
    .option('--top-p <p>', 'nucleus sampling')
    .option('--seed <s>', "the model's sampling seed (the instance sample's: --sample-seed)")
    .option('-r, --run-id <id>', 'the run id (letters, digits, _ . -)')
    .option('--samples <n>', 'episodes per instance (pass@k)')
    .option('--max-steps <n>', 'steps per episode')
    .option('--max-cost <usd>', 'USD per episode')
    .option('--max-time <s>', 'seconds per episode')
    .option('--no-bash', 'no bash tool')
    .option('--agent-config <name>', 'a shipped agent config (config/agents) or a file')
    .option('--allow-config-change', 'resume a run even though its agent config changed')
    .option('--replay-from <dir>', "replay: an earlier run's agent folder")
    .option('--agent-command <cmd>', 'command: the outside agent program')
    .option('--cutoff <date>', "a model's training cutoff: resolved rates before and after it (by created_at)")
    .option('--queue <url>', 'play and grade on the workers of this queue (redis://HOST:PORT) instead of here')
    .option('--queue-name <name>', "with --queue: the queue's name (default swe-harness)")
    .action(async (opts) => done(await (await import('./commands/run.js')).runCommand(opts)));

  const tasks = root.command('tasks').description('mine a git history into validated tasks, or validate a dataset');
  tasks
    .command('mine')
    .description("turn a repository's commits that touch code and tests into tasks, kept when the tests decide so")
    .option('--repo <path|url>', 'a local repository or a git URL')
    .option('--repo-name <owner/name>', 'the name its instances and spec go by (default: local/<folder> or the URL\'s)')
    .option('--branch <name>', 'the branch to walk (default: HEAD)')
    .option('--since <date>', 'commits on or after this date')
    .option('--until <date>', 'commits on or before this date')
    .option('--paths <glob>', 'only commits touching these paths (repeatable)', collect, [] as string[])
    .option('--max <n>', 'at most N commits, newest first')
    .option('--merges', 'mine merge commits (their change against the first parent) instead of single commits')
    .option('--repeats <n>', 'runs of each side, to find flaky tests (default 3)')
    .option('--issues <file>', 'issue texts: a JSON object id -> text, or JSON lines {id, text}')
    .option('--min-statement-words <n>', 'reject candidates whose problem statement is shorter')
    .option('--version <v>', "the spec entry to use from the repository's own spec (default: the drafted spec's)")
    .option('-o, --out <file>', 'the dataset to write (JSONL); specs/ beside it holds a drafted spec')
    .option('--config <file>', 'the harness config (YAML)')
    .option('-j, --max-workers <n>', 'candidates at a time')
    .option('--json', 'print the outcome as JSON')
    .action(async (opts) => done(await (await import('./commands/tasks.js')).mineCommand(opts)));
  selection(tasks.command('validate').description('run the gold / empty / repeat checks on a dataset; report broken and flaky instances'))
    .option('--repeats <n>', 'runs of each side (default 3)')
    .option('-o, --out <file>', 'write a cleaned copy (broken instances and flaky tests removed)')
    .option('--json', 'print the results as JSON')
    .action(async (opts) => done(await (await import('./commands/tasks.js')).validateCommand(opts)));

  root
    .command('generate')
    .description('draw n samples per function-level problem from a model (HumanEval-style samples JSONL, resumable)')
    .option('-d, --dataset <path>', 'humaneval, probes (the security probes), a function-level file or folder, or a dataset name')
    .option('--split <name>', 'the split of a named dataset')
    .option('--revision <rev>', 'the revision of a named dataset')
    .option('--instance-ids <ids>', 'task ids, comma or space separated (repeatable)', collect, [] as string[])
    .option('--filter <regex>', 'task ids matching a regular expression')
    .option('--probe-file <file>', 'with --dataset probes: more probes in YAML (repeatable)', collect, [] as string[])
    .option('-m, --model <name>', "the model's name")
    .option('--provider <name>', 'openai or anthropic')
    .option('--base-url <url>', "the provider's endpoint")
    .option('--api-key-env <var>', "the environment variable holding the key ('none': no key)")
    .option('--samples <n>', 'samples per problem (n of pass@k)')
    .option('--temperature <t>', 'sampling temperature')
    .option('--top-p <p>', 'nucleus sampling')
    .option('--max-tokens <n>', 'tokens per answer')
    .option('--seed <s>', "the model's sampling seed")
    .option('--stop <text>', 'cut every completion at this text (repeatable; besides the problem’s own stop tokens)', collect, [] as string[])
    .option('--prompt-template <file>', 'the chat message around a prompt ({prompt}, {language})')
    .option('--k <list>', 'the pass@k the samples are for, to check the protocol (default 1,10,100)')
    .option('-o, --out <file>', 'the samples JSONL (the protocol is written beside it)')
    .option('--force', 'add to a samples file made with another protocol')
    .option('--config <file>', 'the harness config (YAML)')
    .option('-j, --max-workers <n>', 'queries at a time')
    .action(async (opts) => done(await (await import('./commands/generate.js')).generateCommand(opts)));

  root
    .command('score')
    .description("a function-level run's pass@k (per task, overall, by language), cost per passed task, time split and security probes")
    .argument('[runs...]', 'RUN_DIR')
    .option('-d, --dataset <path>', 'the problems (humaneval, probes, a file or folder, a dataset name)')
    .option('--samples <file>', 'the samples JSONL, for cost, protocol and the probes’ scan')
    .option('--k <list>', 'the k of pass@k (default 1,10,100 where n allows)')
    .option('--cutoff <date>', "a model's training cutoff: tasks released before it against those after")
    .option('--probe-file <file>', 'with --dataset probes: more probes in YAML (repeatable)', collect, [] as string[])
    .option('--config <file>', 'the harness config (YAML)')
    .option('--json', 'print the summary as JSON')
    .action(async (runs, opts) => done(await (await import('./commands/score.js')).scoreCommand(opts, runs)));

  root
    .command('agents')
    .description('list the shipped agent configs (config/agents), or show one as YAML')
    .argument('[args...]', 'list | show NAME|FILE')
    .action(async (args) => done(await (await import('./commands/agents.js')).agentsCommand(args)));

  oldSeed(selection(root.command('session').description('start | exec | read | diff | pause | resume | snapshot | restore | stop | list a sandbox session')))
    .argument('[args...]', 'ACTION, then SESSION and what the action takes (exec: SESSION -- COMMAND...)')
    .option('--instance <id>', 'start: the instance')
    .option('--run-id <id>', 'start: the run id the session is labelled with')
    .usage('start --dataset D --instance ID | exec SESSION -- CMD | read SESSION PATH | diff|pause|resume|stop SESSION | snapshot SESSION [NAME] | restore SESSION NAME | list')
    .action(async (args, opts) => done(await (await import('./commands/session.js')).sessionCommand(sampleSeed(opts), args)));

  root
    .command('mcp')
    .description("serve one task's agent tools as a Model Context Protocol server (stdio, or HTTP with --http)")
    .option('-d, --dataset <path>', 'the dataset')
    .option('--instance <id>', 'the task')
    .option('--session <id>', 'serve this existing session instead of starting one')
    .option('-r, --run-id <id>', 'the run id a new session is labelled with')
    .option('--http <port>', 'serve over HTTP on this port (default: stdio)')
    .option('--host <host>', 'with --http: the address to listen on')
    .option('--no-bash', 'no bash tool')
    .option('--config <file>', 'the harness config (YAML)')
    .option('--repo-cache <dir>', 'a folder of local clones or mirrors (repeatable)', collect, [] as string[])
    .action(async (opts) => done(await (await import('./commands/mcp.js')).mcpCommand(opts)));

  root
    .command('worker')
    .description("grade a queue's jobs on this host's Docker engine until stopped (see evaluate --queue)")
    .option('--queue <url>', 'the queue: redis://HOST:PORT')
    .option('--queue-name <name>', "the queue's name (default swe-harness)")
    .option('-j, --max-workers <n>', 'jobs at a time (default: the number of cores)')
    .option('--docker-host <url>', 'the engine to use (sets DOCKER_HOST), e.g. unix:///run/other.sock')
    .option('--stalled-ms <ms>', "a dead worker's job is taken over after about this long (default 30000)")
    .action(async (opts) => done(await (await import('./commands/worker.js')).workerCommand(opts)));

  root
    .command('queue')
    .description("status | drain | clean of a queue: its jobs and workers; drop jobs not started; drop results nobody collected")
    .argument('[args...]', 'status, drain or clean')
    .option('--queue <url>', 'the queue: redis://HOST:PORT')
    .option('--queue-name <name>', "the queue's name (default swe-harness)")
    .option('--json', 'status: as JSON')
    .action(async (args, opts) => done(await (await import('./commands/queue.js')).queueCommand(opts, args)));

  root
    .command('cleanup')
    .description('remove containers, snapshots and session state of dead processes, or of one run (refused while a live process uses it)')
    .option('-r, --run-id <id>', 'only this run')
    .option('--force', 'with --run-id: even while a live process uses it')
    .option('--config <file>', 'the harness config (YAML)')
    .action(async (opts) => done(await (await import('./commands/cleanup.js')).cleanupCommand(opts)));

  root
    .command('report')
    .description("write a run's self-contained HTML report (verdicts, failure modes, cost, trajectories, security findings)")
    .argument('[runs...]', 'RUN_DIR')
    .option('-o, --out <file>', 'the HTML file')
    .option('-d, --dataset <path>', 'the dataset, for problem statements')
    .option('--cutoff <date>', "a model's training cutoff: resolved rates before and after it (needs --dataset, for created_at)")
    .action(async (runs, opts) => done(await (await import('./commands/report.js')).reportCommand(opts, runs)));

  root
    .command('compare')
    .description("compare runs on the instances they share: A only / B only / both, McNemar's exact test, failure-mode changes")
    .argument('[runs...]', 'RUN_A RUN_B [RUN_C ...]')
    .option('--html <file>', 'an HTML page beside the table')
    .option('-d, --dataset <path>', 'the dataset, for problem statements')
    .action(async (runs, opts) => done(await (await import('./commands/report.js')).compareCommand(opts, runs)));

  root
    .command('leaderboard')
    .description('one table of runs: resolved rate with its interval, cost per resolved task, median steps')
    .argument('[runs...]', 'RUN_DIR...')
    .option('--html <file>', 'an HTML page beside the table')
    .option('-d, --dataset <path>', 'the dataset, for problem statements')
    .option('--cutoff <date>', "a model's training cutoff: resolved-before and resolved-after columns (needs --dataset, for created_at)")
    .action(async (runs, opts) => done(await (await import('./commands/report.js')).leaderboardCommand(opts, runs)));

  oldSeed(selection(root.command('images').description('build | list | prune the per-task images')))
    .argument('[args...]', 'build, list or prune')
    .option('--all', 'prune: env and base images too')
    .usage('build --dataset D [selection] [-j N] [--namespace NS [--image-registry HOST]] | list [--namespace NS] | prune [--all] [--namespace NS]')
    .action(async (args, opts) => done(await (await import('./commands/images.js')).imagesCommand(sampleSeed(opts), args)));

  return root;
}

async function main(argv: string[]): Promise<number> {
  const root = program();
  if (argv.length === 0) {
    process.stdout.write(root.helpInformation());
    return 1;
  }
  try {
    await root.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
    const command = root.commands.find((c) => c.name() === argv[0]);
    const help = command ? `swe-harness ${command.name()} --help` : 'swe-harness --help';
    throw new HarnessError('USAGE', `${err.message.replace(/^error: /, '')} (see ${help})`);
  }
  return exitCode;
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
