import { describe, expect, it } from 'vitest';
import { passAtK } from '../../src/agent/pass-at-k.js';
import { passAtKEstimate } from '../../src/report/pass-at-k.js';
import type { InstanceResult } from '../../src/report/instance-result.js';

function result(id: string, resolved: boolean): InstanceResult {
  return { instance_id: id, model_name_or_path: 'm', patch_is_None: false, patch_exists: true, patch_successfully_applied: true, resolved, resolution: resolved ? 'FULL' : 'NO', timings: {}, finished_at: '' };
}

describe('pass@k', () => {
  it('matches 1 - C(n-c, k) / C(n, k)', () => {
    // n=5, c=2: pass@1 = 2/5; pass@2 = 1 - C(3,2)/C(5,2) = 1 - 3/10.
    expect(passAtKEstimate(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtKEstimate(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passAtKEstimate(5, 0, 3)).toBe(0);
    expect(passAtKEstimate(5, 4, 2)).toBe(1);
  });

  it('averages over instances, counting the samples that resolved each', () => {
    const bySample = [
      [result('a', true), result('b', false)],
      [result('a', false), result('b', false)],
      [result('a', true), result('b', true)],
    ];
    const table = passAtK(['a', 'b'], bySample, 3);
    expect(table.resolved_per_instance).toEqual({ a: 2, b: 1 });
    expect(table.pass_at_k['1']).toBeCloseTo((2 / 3 + 1 / 3) / 2, 4);
    expect(table.pass_at_k['3']).toBe(1);
  });
});
