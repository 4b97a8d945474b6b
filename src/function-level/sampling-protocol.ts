import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../errors.js';

/**
 * How samples were drawn, written beside the samples file (`<samples>.protocol.json`): what a
 * reader needs to know before comparing two pass@k figures. `created_at` is informative and
 * never part of the comparison that guards a resumed generation.
 */
export interface SamplingProtocol {
  dataset: string;
  model: string;
  provider: string;
  temperature: number | null;
  top_p: number | null;
  max_tokens: number | null;
  /** Stop sequences applied to every completion besides each problem's own. */
  stop: string[];
  /** Samples per task. */
  n: number;
  /** The chat message a prompt is wrapped in; `{prompt}` and `{language}` are filled in. */
  prompt_template: string;
  created_at: string;
}

export function protocolFileOf(samplesFile: string): string {
  return samplesFile.replace(/\.jsonl$/, '') + '.protocol.json';
}

export function readProtocol(samplesFile: string): SamplingProtocol | undefined {
  const file = protocolFileOf(samplesFile);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SamplingProtocol;
  } catch (err) {
    throw new HarnessError('CONFIG_INVALID', `unreadable sampling protocol ${file}`, { file }, { cause: err });
  }
}

/** The fields whose change makes old and new samples different experiments. */
const COMPARED = ['dataset', 'model', 'provider', 'temperature', 'top_p', 'max_tokens', 'stop', 'prompt_template'] as const;

/**
 * The differences that forbid resuming into the same file; `n` may grow (more samples for the
 * same protocol are the same experiment) but a smaller n keeps the samples already there.
 */
export function protocolChanges(before: SamplingProtocol, now: SamplingProtocol): string[] {
  return COMPARED.filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(now[key] ?? null)).map(
    (key) => `${key}: ${JSON.stringify(before[key] ?? null)} -> ${JSON.stringify(now[key] ?? null)}`,
  );
}

/**
 * The protocols the literature warns about (Chen et al., 2021; the Codex and EvalPlus papers):
 * pass@1 from one sample at a high temperature is one noisy draw, and pass@k for k > 1 at a
 * low temperature draws k near-copies of one answer and understates pass@k.
 */
export function noisyProtocolWarnings(protocol: Pick<SamplingProtocol, 'n' | 'temperature'>, ks: readonly number[]): string[] {
  const warnings: string[] = [];
  const t = protocol.temperature;
  if (protocol.n === 1 && t !== null && t >= 0.8) {
    warnings.push(`pass@1 from a single sample at temperature ${t} is a noisy estimate: draw more samples (e.g. --samples 20) or sample at temperature 0.2 or lower`);
  }
  const bigK = ks.filter((k) => k > 1 && k <= protocol.n);
  if (bigK.length > 0 && t !== null && t <= 0.2) {
    warnings.push(`pass@${bigK.join(', pass@')} at temperature ${t} draws near-identical samples and understates pass@k: sample at temperature 0.8 for k > 1`);
  }
  return warnings;
}
