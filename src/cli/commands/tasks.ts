import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadHarnessConfig } from '../../config/harness-config.js';
import { HarnessError } from '../../errors.js';
import { REJECTION_REASONS } from '../../mining/candidates.js';
import { minedRepoName } from '../../mining/mine-options.js';
import { parseIssues } from '../../mining/statement.js';
import { mineTasks } from '../../run/mine-tasks.js';
import { validateTasks, type ValidationStatus } from '../../run/validate-tasks.js';
import { containerRuntime } from '../../runtime/registry.js';
import { loadSelection, printProblems, type SelectionOptions } from '../load-selection.js';
import { MiningProgress, ValidationProgress } from '../mining-progress.js';
import { renderTable } from '../table.js';
import { numberFlag } from '../number-flags.js';

function count(raw: string | undefined, flag: string, fallback: number | undefined, min = 1): number | undefined {
  return numberFlag(raw, flag, { whole: true, min }) ?? fallback;
}

function readIssues(file: string | undefined): Map<string, string> {
  if (!file) return new Map();
  if (!existsSync(file)) throw new HarnessError('USAGE', `no such issues file: ${file}`, { file, field: '--issues' });
  try {
    return parseIssues(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError('USAGE', `the issues file is not a JSON object (id -> text) nor JSON lines of {id, text}: ${(cause as Error).message}`, { file, field: '--issues' }, { cause });
  }
}

export interface MineOptions {
  repo?: string;
  repoName?: string;
  branch?: string;
  since?: string;
  until?: string;
  paths: string[];
  max?: string;
  merges?: boolean;
  repeats?: string;
  issues?: string;
  minStatementWords?: string;
  out?: string;
  version?: string;
  config?: string;
  maxWorkers?: string;
  json?: boolean;
}

export async function mineCommand(opts: MineOptions): Promise<number> {
  if (!opts.repo) throw new HarnessError('USAGE', '--repo is required: a local repository or a git URL');
  if (!opts.out) throw new HarnessError('USAGE', '--out is required: the dataset file to write (JSONL)');
  const config = loadHarnessConfig(opts.config);
  const concurrency = count(opts.maxWorkers, '--max-workers', config.run.concurrency) as number;
  await containerRuntime().assertAvailable();
  const progress = new MiningProgress();
  const outcome = await mineTasks({
    config,
    source: opts.repo,
    repo: opts.repoName ?? minedRepoName(opts.repo),
    branch: opts.branch,
    since: opts.since,
    until: opts.until,
    paths: opts.paths,
    max: count(opts.max, '--max', undefined),
    merges: opts.merges === true,
    repeats: count(opts.repeats, '--repeats', 3) as number,
    issues: readIssues(opts.issues),
    minStatementWords: count(opts.minStatementWords, '--min-statement-words', 0, 0) as number,
    out: opts.out,
    version: opts.version,
    concurrency,
    reporter: progress,
  });
  progress.end();
  if (opts.json === true) {
    process.stdout.write(`${JSON.stringify({ ...outcome, kept: outcome.kept.map((i) => i.instance_id) }, null, 2)}\n`);
    return 0;
  }
  const rows: string[][] = [
    ['commits', String(outcome.commits)],
    ['candidates (code + tests)', String(outcome.candidates)],
    ['kept', String(outcome.kept.length)],
    ...REJECTION_REASONS.filter((r) => outcome.byReason[r]).map((r) => [`rejected: ${r.replaceAll('_', ' ')}`, String(outcome.byReason[r])]),
    ['time', `${outcome.seconds.toFixed(0)} s`],
  ];
  process.stdout.write(`\n${renderTable(['mined', 'count'], rows)}\n\n`);
  process.stdout.write(`dataset: ${outcome.out}\nspec: ${outcome.specFile}${outcome.drafted ? ' (drafted from the repository: review it and commit it)' : ''}\n`);
  process.stdout.write(`rejections: ${outcome.out}.mining.json\n`);
  return 0;
}

export interface ValidateOptions extends SelectionOptions {
  repeats?: string;
  out?: string;
  json?: boolean;
}

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const selection = await loadSelection(opts);
  printProblems('dataset problems (these records are skipped)', selection.problems);
  await containerRuntime().assertAvailable();
  const progress = new ValidationProgress();
  progress.start(selection.instances.length);
  const workDir = path.resolve(selection.config.run.root, `validate-${Date.now()}`);
  const results = await validateTasks({
    config: selection.config,
    instances: selection.instances,
    repoDirs: selection.repoDirs,
    specDirs: [],
    repeats: count(opts.repeats, '--repeats', 3) as number,
    concurrency: selection.concurrency,
    workDir,
    cleanOut: opts.out,
    onDone: (r) => progress.onValidated(r),
  });
  progress.end();
  if (opts.json === true) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    const bad = results.filter((r) => r.status !== 'ok').sort((a, b) => a.instance_id.localeCompare(b.instance_id));
    if (bad.length > 0) process.stdout.write(`\n${renderTable(['instance', 'status', 'why'], bad.map((r) => [r.instance_id, r.status, r.detail ?? `flaky: ${r.flaky_tests.join(', ')}`]))}\n`);
    const tally = (s: ValidationStatus) => results.filter((r) => r.status === s).length;
    process.stdout.write(`\n${results.length} instance(s): ${tally('ok')} ok, ${tally('flaky')} flaky, ${tally('broken')} broken, ${tally('error')} error(s)\n`);
    if (opts.out) process.stdout.write(`cleaned copy: ${path.resolve(opts.out)}\n`);
    process.stdout.write(`runs: ${workDir}\n`);
  }
  return results.some((r) => r.status === 'broken' || r.status === 'error') ? 1 : 0;
}
