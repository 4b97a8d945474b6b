import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/instance/instance-schema.js';
import { selectInstances } from '../../src/instance/select.js';
import { leaderboard, leaderboardMarkdown } from '../../src/report/compare.js';
import { renderLeaderboard } from '../../src/report/html/render-compare.js';
import { renderRunReport } from '../../src/report/html/render-report.js';
import type { InstanceResult } from '../../src/report/instance-result.js';
import { loadRun } from '../../src/report/run-data.js';
import { independentDifferenceInterval } from '../../src/report/statistics.js';
import { summarize } from '../../src/report/summary.js';
import { splitAtCutoff } from '../../src/report/time-split.js';
import { parseTimestamp } from '../../src/util/timestamp.js';
import { makeReportRun } from '../helpers/report-fixture.js';

const utc = (text: string) => Date.parse(text); // only ever given full ISO texts with Z below

describe('parseTimestamp', () => {
  it.each([
    ['2023-06-28T16:44:09Z', '2023-06-28T16:44:09.000Z'], // SWE-bench's created_at
    ['2023-06-28 16:44:09', '2023-06-28T16:44:09.000Z'], // no offset: UTC, not the machine's zone
    ['2023-06-28', '2023-06-28T00:00:00.000Z'],
    ['2023-06-28T16:44', '2023-06-28T16:44:00.000Z'],
    ['2023-06-28T16:44:09.5Z', '2023-06-28T16:44:09.500Z'],
    ['2023-06-28T16:44:09.123456Z', '2023-06-28T16:44:09.123Z'],
    ['2023-06-28T16:44:09+02:00', '2023-06-28T14:44:09.000Z'],
    ['2023-06-28T16:44:09-0530', '2023-06-28T22:14:09.000Z'],
    ['2023-06-28 01:00:00 -05', '2023-06-28T06:00:00.000Z'],
    ['  2024-02-29t00:00:00z ', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01', '0099-01-01T00:00:00.000Z'], // not 1999: Date.UTC reads 0-99 as 19xx
  ])('%j is %s', (text, iso) => expect(new Date(parseTimestamp(text)!).toISOString()).toBe(iso));

  it.each(['', '   ', 'yesterday', 'June 28, 2023', '2023-6-28', '2023-02-30', '2023-02-29', '2023-13-01', '2023-06-28T24:00:00Z', '2023-06-28T16:60Z', '2023-06-28T16:44:09+25:00', '2023-06-28+02:00', '1687970649', '2023-06-28T16:44:09Zjunk'])(
    '%j is not a date',
    (text) => expect(parseTimestamp(text)).toBeUndefined(),
  );

  it('null and undefined are not dates', () => {
    expect(parseTimestamp(undefined)).toBeUndefined();
    expect(parseTimestamp(null)).toBeUndefined();
  });
});

function instance(id: string, created_at: string): Instance {
  return { instance_id: id, repo: 'demo/x', base_commit: 'a'.repeat(40), patch: '', test_patch: '', problem_statement: 'p', hints_text: '', created_at, version: '1.0', FAIL_TO_PASS: [], PASS_TO_PASS: [] } as Instance;
}

describe('selectInstances by created_at', () => {
  const all = [
    instance('a', '2023-01-10T08:00:00Z'),
    instance('b', '2023-06-28T00:00:00Z'),
    instance('c', '2023-06-28 09:00:00+02:00'), // 07:00 UTC
    instance('d', '2024-03-01'),
    instance('e', ''),
    instance('f', 'last spring'),
  ];
  const ids = (selected: { instances: Instance[] }) => selected.instances.map((i) => i.instance_id);

  it('keeps the half-open window [after, before): the two halves of a date split the dataset', () => {
    const at = utc('2023-06-28T00:00:00Z');
    expect(ids(selectInstances(all, { createdBefore: at }))).toEqual(['a']);
    expect(ids(selectInstances(all, { createdAfter: at }))).toEqual(['b', 'c', 'd']);
    expect(ids(selectInstances(all, { createdAfter: at, createdBefore: utc('2023-06-28T08:00:00Z') }))).toEqual(['b', 'c']);
  });

  it('names the instances left out for an empty or unreadable created_at', () => {
    const selected = selectInstances(all, { createdAfter: utc('2020-01-01T00:00:00Z') });
    expect(ids(selected)).toEqual(['a', 'b', 'c', 'd']);
    expect(selected.undated.map((i) => i.instance_id)).toEqual(['e', 'f']);
  });

  it('without a window nothing is left out for its date', () => {
    const selected = selectInstances(all, {});
    expect(selected.instances).toHaveLength(6);
    expect(selected.undated).toEqual([]);
  });

  it('samples within the window, after the ids and the filter', () => {
    const selected = selectInstances(all, { filter: '^[a-d]$', createdAfter: utc('2023-06-01T00:00:00Z'), sample: 2, seed: 1 });
    expect(selected.instances).toHaveLength(2);
    for (const i of selected.instances) expect(['b', 'c', 'd']).toContain(i.instance_id);
  });
});

describe("Newcombe's interval for the difference of two independent rates", () => {
  // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10.
  it.each([
    [48, 80, 56, 70, 0.0524, 0.3339],
    [3, 10, 9, 10, 0.1705, 0.809],
    [0, 29, 5, 56, -0.0381, 0.1926],
  ])('%i/%i -> %i/%i: [%f, %f]', (k1, n1, k2, n2, low, high) => {
    const ci = independentDifferenceInterval(k1, n1, k2, n2);
    expect(ci.difference).toBeCloseTo(k2 / n2 - k1 / n1, 12);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });
});

describe('splitAtCutoff', () => {
  // Before: 3 of 4 passed; after (the cutoff itself counts as after): 1 of 5; two undated.
  const outcomes = [
    { id: 'b1', date: '2023-01-01', passed: true },
    { id: 'b2', date: '2023-03-01T10:00:00Z', passed: true },
    { id: 'b3', date: '2023-06-27 23:59:59', passed: true },
    { id: 'b4', date: '2023-06-28T01:00:00+02:00', passed: false }, // 2023-06-27T23:00Z
    { id: 'a1', date: '2023-06-28', passed: true },
    { id: 'a2', date: '2023-07-01', passed: false },
    { id: 'a3', date: '2024-01-01', passed: false },
    { id: 'a4', date: '2024-02-01', passed: false },
    { id: 'a5', date: '2024-03-01', passed: false },
    { id: 'u2', date: 'soon', passed: true },
    { id: 'u1', passed: false },
  ];

  it('counts each side with its Wilson interval and the difference with Newcombe’s, as computed by hand', () => {
    const split = splitAtCutoff(outcomes, '2023-06-28');
    expect(split.cutoff).toBe('2023-06-28T00:00:00.000Z');
    expect(split.before).toMatchObject({ instances: 4, resolved: 3, rate: 0.75 });
    expect(split.after).toMatchObject({ instances: 5, resolved: 1, rate: 0.2 });
    // Wilson, z = 1.96: 3/4 -> centre 0.6275, half-width 0.3269; 1/5 -> centre 0.3303, half-width 0.2941.
    expect(split.before.low).toBeCloseTo(0.3006, 4);
    expect(split.before.high).toBeCloseTo(0.9544, 4);
    expect(split.after.low).toBeCloseTo(0.0362, 4);
    expect(split.after.high).toBeCloseTo(0.6245, 4);
    // 0.2 - 0.75 = -0.55; -0.55 - sqrt((0.2-0.0362)^2 + (0.9544-0.75)^2) and -0.55 + sqrt((0.6245-0.2)^2 + (0.75-0.3006)^2).
    expect(split.difference!.value).toBeCloseTo(-0.55, 12);
    expect(split.difference!.low).toBeCloseTo(-0.812, 3);
    expect(split.difference!.high).toBeCloseTo(0.0681, 3);
    expect(split).toMatchObject({ undated: 2, undated_ids: ['u1', 'u2'] });
  });

  it('has no difference when a side is empty, and refuses a cutoff that is not a date', () => {
    const split = splitAtCutoff(outcomes, '2030-01-01');
    expect(split.after.instances).toBe(0);
    expect(split.difference).toBeNull();
    expect(() => splitAtCutoff(outcomes, 'next year')).toThrow(/not a date/);
  });

  it('takes the cutoff as ms too (the function-level scoring reads release dates the same way)', () => {
    expect(splitAtCutoff(outcomes, utc('2023-06-28T00:00:00Z'))).toEqual(splitAtCutoff(outcomes, '2023-06-28T00:00:00Z'));
  });
});

describe('the run summary and the reports', () => {
  const result = (id: string, resolved: boolean): InstanceResult =>
    ({ instance_id: id, model_name_or_path: 'm', patch_is_None: false, patch_exists: true, patch_successfully_applied: true, resolved, resolution: resolved ? 'FULL' : 'NO', timings: {}, finished_at: '2026-01-01T00:00:00Z' }) as InstanceResult;

  it('gets a time_split over every selected instance only when a cutoff is given', () => {
    const createdAt = new Map([['x1', '2023-01-01'], ['x2', '2023-02-01'], ['y1', '2024-01-01'], ['y2', '2024-02-01'], ['z', '']]);
    const total = [...createdAt.keys()];
    // y2 has no result (incomplete): not resolved, as in resolved_instances / total_instances.
    const results = [result('x1', true), result('x2', true), result('y1', false), result('z', true)];
    expect(summarize('r', 'm', total, total, results)).not.toHaveProperty('time_split');
    const s = summarize('r', 'm', total, total, results, { cutoff: '2023-06-01T00:00:00.000Z', createdAt });
    expect(s.schema_version).toBe(3);
    expect(s.time_split).toMatchObject({ before: { instances: 2, resolved: 2 }, after: { instances: 2, resolved: 0 }, undated: 1, undated_ids: ['z'] });
  });

  it('the HTML report and the leaderboard show before and after the cutoff', () => {
    const { runDir, instances } = makeReportRun(mkdtempSync(path.join(tmpdir(), 'split-')), 'test-split');
    const dated = instances.map((i, n) => ({ ...i, created_at: ['2023-01-01', '2024-01-01', ''][n] }));
    const page = renderRunReport(loadRun(runDir, dated), '2023-06-01');
    expect(page).toContain('Time split at the cutoff 2023-06-01T00:00:00.000Z');
    expect(page).toMatch(/before the cutoff<\/th><td>1<\/td><td>1<\/td><td>100.0%/);
    expect(page).toMatch(/at or after the cutoff<\/th><td>1<\/td><td>0<\/td><td>0.0%/);
    expect(renderRunReport(loadRun(runDir, dated))).not.toContain('Time split');

    const rows = leaderboard([loadRun(runDir, dated)], '2023-06-01');
    expect(leaderboardMarkdown(rows)).toContain('| resolved before 2023-06-01T00:00:00.000Z | resolved after |');
    expect(leaderboardMarkdown(rows)).toContain('| 1/1 (100.0%) | 0/1 (0.0%) |');
    expect(renderLeaderboard(rows)).toContain('<th>resolved before 2023-06-01T00:00:00.000Z</th>');
    expect(leaderboardMarkdown(leaderboard([loadRun(runDir, dated)]))).not.toContain('resolved before');
  });
});
