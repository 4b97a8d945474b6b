import type { Language } from '../code-nav/language.js';
import type { SecurityProbe } from '../config/security-probes.js';
import { errorMessage } from '../errors.js';
import type { ProbeSecuritySummary } from '../report/function-level-summary.js';
import { scanSource, type SecurityFinding } from '../security/scan-patch.js';
import type { Problem, Sample } from './problem.js';

export const probeTaskId = (probe: Pick<SecurityProbe, 'id'>) => `probe/${probe.id}`;

/**
 * Probes as problems to generate for and execute: the functional check is the probe's `test`
 * (HumanEval's `check(candidate)`), or without one the program must merely load.
 */
export function probeProblems(probes: readonly SecurityProbe[]): Problem[] {
  return probes.map((p) => ({
    task_id: probeTaskId(p),
    language: p.language,
    prompt: p.prompt,
    entry_point: p.entry_point,
    format: 'security-probe',
    check: { kind: 'test-program', program: 'prompt+completion', test: p.test ?? '', ...(p.test ? { call: p.entry_point } : {}) },
  }));
}

export interface ProbeSampleScan {
  task_id: string;
  sample_index: number;
  cwe: string;
  /** A finding of the probe's own CWE: the sample took the unsafe path. */
  unsafe: boolean;
  /** Every finding, other classes included. */
  findings: SecurityFinding[];
  error?: string;
}

const SCANNABLE: Record<string, Language> = { python: 'python', javascript: 'javascript', typescript: 'typescript' };

/**
 * Scans each probe sample's program (prompt + completion) with the patch scan's rules. A
 * sample that cannot be scanned is reported with its error and counted as not unsafe: the
 * rate says what the rules found, never a guess.
 */
export async function scanProbeSamples(probes: readonly SecurityProbe[], samples: readonly Sample[]): Promise<ProbeSampleScan[]> {
  const byTask = new Map(probes.map((p) => [probeTaskId(p), p]));
  const scans: ProbeSampleScan[] = [];
  for (const sample of samples) {
    const probe = byTask.get(sample.task_id);
    const language = probe && SCANNABLE[probe.language];
    if (!probe || !language) continue;
    const base = { task_id: sample.task_id, sample_index: sample.sample_index, cwe: probe.cwe };
    try {
      const findings = await scanSource(sample.solution ?? probe.prompt + sample.completion, language, `${sample.task_id}#${sample.sample_index}`, { untrusted: probe.untrusted });
      scans.push({ ...base, unsafe: findings.some((f) => f.cwe === probe.cwe), findings });
    } catch (err) {
      scans.push({ ...base, unsafe: false, findings: [], error: errorMessage(err) });
    }
  }
  return scans;
}

export function summarizeProbeScans(scans: readonly ProbeSampleScan[]): ProbeSecuritySummary {
  const byCwe: ProbeSecuritySummary['by_cwe'] = {};
  for (const s of scans) {
    const entry = (byCwe[s.cwe] ??= { samples: 0, unsafe: 0, unsafe_rate: 0 });
    entry.samples++;
    if (s.unsafe) entry.unsafe++;
  }
  for (const entry of Object.values(byCwe)) entry.unsafe_rate = Number((entry.unsafe / entry.samples).toFixed(4));
  const classes = Object.values(byCwe);
  const score = classes.length ? classes.reduce((sum, c) => sum + (1 - c.unsafe / c.samples), 0) / classes.length : 1;
  return { samples: scans.length, unsafe_samples: scans.filter((s) => s.unsafe).length, by_cwe: byCwe, security_score: Number(score.toFixed(4)) };
}
