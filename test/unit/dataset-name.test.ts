import { describe, expect, it } from 'vitest';
import { parseHubDatasetName } from '../../src/instance/dataset-name.js';

describe('parseHubDatasetName', () => {
  it('expands the aliases SWE-bench users type', () => {
    expect(parseHubDatasetName('lite')).toEqual({ id: 'princeton-nlp/SWE-bench_Lite', split: 'test', revision: undefined });
    expect(parseHubDatasetName('verified', { split: 'test' })?.id).toBe('SWE-bench/SWE-bench_Verified');
    expect(parseHubDatasetName('full')?.id).toBe('princeton-nlp/SWE-bench');
    expect(parseHubDatasetName('multilingual')?.id).toBe('SWE-bench/SWE-bench_Multilingual');
  });

  it('takes a revision after @ or from --revision, and refuses two different ones', () => {
    expect(parseHubDatasetName('hf://princeton-nlp/SWE-bench_Lite@abc123', { split: 'dev' })).toEqual({ id: 'princeton-nlp/SWE-bench_Lite', split: 'dev', revision: 'abc123' });
    expect(parseHubDatasetName('lite', { revision: 'v1' })?.revision).toBe('v1');
    expect(() => parseHubDatasetName('lite@v1', { revision: 'v2' })).toThrow(/two revisions/);
  });

  it('leaves paths that do not exist to the file source, so they fail as missing files', () => {
    expect(parseHubDatasetName('data/missing.jsonl')).toBeUndefined();
    expect(parseHubDatasetName('./sets')).toBeUndefined();
    expect(parseHubDatasetName('/abs/path')).toBeUndefined();
    expect(parseHubDatasetName('plainword')).toBeUndefined();
  });
});
