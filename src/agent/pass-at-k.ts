import type { InstanceResult } from '../report/instance-result.js';
import { passAtKEstimate } from '../report/pass-at-k.js';

export interface PassAtK {
  samples: number;
  /** k -> the mean over instances of the unbiased estimator 1 - C(n-c, k) / C(n, k). */
  pass_at_k: Record<string, number>;
  resolved_per_instance: Record<string, number>;
}

/** `bySample[s]` are the evaluation results of sample s. */
export function passAtK(instanceIds: string[], bySample: InstanceResult[][], samples: number): PassAtK {
  const resolved: Record<string, number> = {};
  for (const id of instanceIds) resolved[id] = bySample.filter((results) => results.some((r) => r.instance_id === id && r.resolved)).length;
  const table: Record<string, number> = {};
  for (let k = 1; k <= samples; k++) {
    const mean = instanceIds.reduce((sum, id) => sum + passAtKEstimate(samples, resolved[id] ?? 0, k), 0) / Math.max(1, instanceIds.length);
    table[String(k)] = Number(mean.toFixed(4));
  }
  return { samples, pass_at_k: table, resolved_per_instance: resolved };
}
