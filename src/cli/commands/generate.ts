import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadHarnessConfig } from '../../config/harness-config.js';
import { loadPriceTable } from '../../config/prices.js';
import { HarnessError } from '../../errors.js';
import { DEFAULT_PROMPT_TEMPLATE, generateSamples } from '../../function-level/generate.js';
import type { Problem } from '../../function-level/problem.js';
import { loadProblemSet } from '../../function-level/problem-sets.js';
import { noisyProtocolWarnings, type SamplingProtocol } from '../../function-level/sampling-protocol.js';
import { createModelProvider } from '../../model/registry.js';
import { printProblems } from '../load-selection.js';
import { modelConfig, num, type ModelFlags } from '../model-flags.js';
import { CountProgress } from '../progress.js';
import { renderTable } from '../table.js';

export interface GenerateOptions extends ModelFlags {
  dataset?: string;
  split?: string;
  revision?: string;
  instanceIds: string[];
  filter?: string;
  config?: string;
  samples?: string;
  stop: string[];
  out?: string;
  maxWorkers?: string;
  force?: boolean;
  k?: string;
  promptTemplate?: string;
  probeFile: string[];
}

/** The k's of `--k 1,10,100`; default 1, 10, 100. */
export function parseKs(raw: string | undefined): number[] {
  if (raw === undefined) return [1, 10, 100];
  const ks = raw.split(/[\s,]+/).filter(Boolean).map(Number);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new HarnessError('USAGE', `--k takes whole numbers >= 1 separated by commas, not ${JSON.stringify(raw)}`);
  return ks;
}

function selectProblems(problems: Problem[], values: GenerateOptions): Problem[] {
  const ids = new Set(values.instanceIds.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean));
  const filter = values.filter ? new RegExp(values.filter) : undefined;
  return problems.filter((p) => (ids.size === 0 || ids.has(p.task_id)) && (!filter || filter.test(p.task_id)));
}

function defaultOut(dataset: string, model: string, n: number, temperature: number | null): string {
  const safe = (s: string) => s.replace(/[^\w.-]+/g, '_');
  return path.join('samples', `${safe(path.basename(dataset).replace(/\.(jsonl|json)(\.gz)?$/, ''))}.${safe(model)}.n${n}.t${temperature ?? 'default'}.jsonl`);
}

export async function generateCommand(values: GenerateOptions): Promise<number> {
  if (!values.dataset) throw new HarnessError('USAGE', '--dataset is required: humaneval, probes, a function-level file or folder, or a dataset name');
  const workers = num(values.maxWorkers, 'max-workers');
  const config = loadHarnessConfig(values.config, workers ? { run: { concurrency: workers } } : {});
  const set = await loadProblemSet(values.dataset, { cacheDir: config.dataset_cache, split: values.split, revision: values.revision, probeFiles: values.probeFile });
  printProblems('dataset problems (these records are skipped)', set.rejected);
  const problems = selectProblems(set.problems, values);
  if (problems.length === 0) throw new HarnessError('USAGE', `no problems selected from ${set.source}`);
  const model = modelConfig(values, config.model);
  if (!model) throw new HarnessError('USAGE', '--model is required (or a `model:` section in the config)');
  const provider = createModelProvider(model, { priceTable: loadPriceTable() });
  const n = num(values.samples, 'samples') ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new HarnessError('USAGE', `--samples takes a whole number >= 1, not ${values.samples}`);
  const protocol: SamplingProtocol = {
    dataset: values.dataset,
    model: provider.model,
    provider: provider.name,
    temperature: provider.sampling.temperature ?? null,
    top_p: provider.sampling.topP ?? null,
    max_tokens: provider.sampling.maxTokens ?? null,
    stop: values.stop,
    n,
    prompt_template: values.promptTemplate ? readFileSync(values.promptTemplate, 'utf8') : DEFAULT_PROMPT_TEMPLATE,
    created_at: new Date().toISOString(),
  };
  for (const warning of noisyProtocolWarnings(protocol, parseKs(values.k))) process.stderr.write(`warning: ${warning}\n`);
  const samplesFile = values.out ?? defaultOut(values.dataset, protocol.model, n, protocol.temperature);
  const progress = new CountProgress('sample');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const outcome = await generateSamples({
    problems,
    provider,
    protocol,
    samplesFile,
    concurrency: config.run.concurrency,
    force: values.force === true,
    signal: abort.signal,
    onStart: ({ total, skipped }) => progress.start(total, skipped),
    onSample: (s) => progress.step(`${s.task_id}#${s.sample_index}: ${s.completion.length} chars`),
    onFailure: (f) => progress.step(`${f.task_id}#${f.sample_index}: error ${f.code}: ${f.message}`, false),
  });
  progress.end();
  if (outcome.failures.length > 0) {
    const rows = outcome.failures.slice(0, 20).map((f) => [f.task_id, String(f.sample_index), f.code, f.message.split('\n')[0]!.slice(0, 100)]);
    process.stdout.write(`${renderTable(['task', 'sample', 'error', 'message'], rows)}\n`);
  }
  process.stdout.write(`${outcome.written} sample(s) written, ${outcome.skipped} already there, ${outcome.failures.length} failed (rerun to retry them)\nsamples: ${outcome.samplesFile}\nprotocol: ${outcome.protocolFile}\n`);
  if (abort.signal.aborted) return 130;
  return outcome.failures.length > 0 || set.rejected.length > 0 ? 2 : 0;
}
