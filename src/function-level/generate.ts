import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, HarnessError } from '../errors.js';
import type { ModelProvider } from '../model/types.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { runPool } from '../util/pool.js';
import { extractCompletion } from './extract-completion.js';
import type { Problem } from './problem.js';
import { appendSample, readSamples, repairSamplesFile, sampleKey, type GeneratedSample } from './samples-file.js';
import { protocolChanges, protocolFileOf, readProtocol, type SamplingProtocol } from './sampling-protocol.js';

/** The chat message a problem's prompt is sent in. */
export const DEFAULT_PROMPT_TEMPLATE =
  'Complete the following {language} code. Answer with the complete function, its signature included, in one ```{language} code block.\n\n```{language}\n{prompt}\n```';

export function renderPrompt(template: string, problem: Pick<Problem, 'prompt' | 'language'>): string {
  return template.replaceAll('{language}', problem.language).replaceAll('{prompt}', problem.prompt);
}

export interface GenerateRequest {
  problems: Problem[];
  provider: ModelProvider;
  protocol: SamplingProtocol;
  samplesFile: string;
  concurrency: number;
  /** Resume even though the protocol beside the file differs. */
  force?: boolean;
  signal?: AbortSignal;
  onStart?: (info: { total: number; skipped: number }) => void;
  onSample?: (sample: GeneratedSample) => void;
  onFailure?: (failure: GenerationFailure) => void;
}

export interface GenerationFailure {
  task_id: string;
  sample_index: number;
  code: string;
  message: string;
}

export interface GenerateOutcome {
  samplesFile: string;
  protocolFile: string;
  written: number;
  /** Pairs already in the file from an earlier run. */
  skipped: number;
  failures: GenerationFailure[];
}

/** Errors after which every other request would fail the same way. */
const FATAL = new Set(['MODEL_AUTH', 'INTERRUPTED']);

/**
 * Draws `protocol.n` samples per problem and appends each to the samples file as it arrives.
 * Resumable: pairs (task, sample index) already in the file are kept; a changed protocol is
 * refused unless forced. A failed query is reported and its pair left for the next run.
 */
export async function generateSamples(req: GenerateRequest): Promise<GenerateOutcome> {
  const protocolFile = protocolFileOf(req.samplesFile);
  const existing = readSamples(req.samplesFile, new Set(req.problems.map((p) => p.task_id)));
  const before = readProtocol(req.samplesFile);
  checkResume(req, before);
  mkdirSync(path.dirname(path.resolve(req.samplesFile)), { recursive: true });
  repairSamplesFile(req.samplesFile);
  // The first run's date stays; n is the most samples any run asked for, as the file may hold them.
  writeJsonAtomic(protocolFile, { ...req.protocol, n: Math.max(req.protocol.n, before?.n ?? 0), created_at: before?.created_at ?? req.protocol.created_at });
  const todo = missingPairs(req.problems, req.protocol.n, new Set(existing.map(sampleKey)));
  const total = req.problems.length * req.protocol.n;
  req.onStart?.({ total, skipped: total - todo.length });
  const failures: GenerationFailure[] = [];
  let written = 0;
  let fatal: unknown;
  await runPool(todo, req.concurrency, async ({ problem, index }) => {
    if (fatal !== undefined || req.signal?.aborted) return;
    try {
      const sample = await drawSample(req, problem, index);
      appendSample(req.samplesFile, sample);
      written++;
      req.onSample?.(sample);
    } catch (err) {
      const code = err instanceof HarnessError ? err.code : 'MODEL_ERROR';
      if (FATAL.has(code) || req.signal?.aborted) fatal ??= err;
      const failure = { task_id: problem.task_id, sample_index: index, code, message: errorMessage(err) };
      failures.push(failure);
      req.onFailure?.(failure);
    }
  });
  if (fatal !== undefined && !req.signal?.aborted) throw fatal;
  return { samplesFile: req.samplesFile, protocolFile, written, skipped: total - todo.length, failures };
}

/** The (problem, sample index) pairs of n samples per problem that the file does not hold yet. */
function missingPairs(problems: Problem[], n: number, done: Set<string>): Array<{ problem: Problem; index: number }> {
  return problems.flatMap((problem) =>
    Array.from({ length: n }, (_, index) => ({ problem, index })).filter(({ index }) => !done.has(sampleKey({ task_id: problem.task_id, sample_index: index }))),
  );
}

/** A file with samples in it was made under `before`: adding to it under another protocol mixes two experiments. */
function checkResume(req: GenerateRequest, before: SamplingProtocol | undefined): void {
  const hasSamples = existsSync(req.samplesFile) && statSync(req.samplesFile).size > 0;
  if (!before || !hasSamples || req.force) return;
  const changes = protocolChanges(before, req.protocol);
  if (changes.length > 0) {
    throw new HarnessError('USAGE', `${req.samplesFile} was generated with another sampling protocol (${changes.join('; ')}): write to another --out, or pass --force to add to it anyway`, { file: protocolFileOf(req.samplesFile) });
  }
}

async function drawSample(req: GenerateRequest, problem: Problem, index: number): Promise<GeneratedSample> {
  const content = renderPrompt(req.protocol.prompt_template, problem);
  const response = await req.provider.query([{ role: 'user', content }], [], { signal: req.signal });
  const answer = response.message.content;
  const stops = [...(problem.stop_tokens ?? []), ...req.protocol.stop];
  return {
    task_id: problem.task_id,
    sample_index: index,
    completion: extractCompletion(answer, problem, stops),
    model: req.protocol.model,
    prompt_tokens: response.usage.inputTokens,
    completion_tokens: response.usage.outputTokens,
    // Unpriced: left out, so a report says unknown rather than free.
    ...(response.priced === false ? {} : { cost_usd: response.costUsd }),
    raw_answer: answer,
  };
}
