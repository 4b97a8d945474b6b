import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { loadDatasetFrom } from '../../src/instance/dataset-source.js';
import { hubEndpointsFromEnv } from '../../src/instance/hub-client.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import type { TransferProgress } from '../../src/util/transfer-progress.js';
import { FakeHubServer } from '../helpers/hub-server.js';

/** Real SWE-bench Lite rows: the shared copy when there is one, else the two in fixtures. */
const SHARED = '/work/shared/data/swe-bench-lite/test-psf__requests.jsonl';
const JSONL = existsSync(SHARED) ? SHARED : path.resolve(__dirname, '../fixtures/datasets/swe-bench-lite-requests.jsonl');
const rows = readFileSync(JSONL, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, string>);
const SHA = 'c0ffee'.padEnd(40, '0');
const TOKEN = 'hf_test_token_123';

const server = new FakeHubServer({
  'princeton-nlp/SWE-bench_Lite': { sha: SHA, splits: { test: rows, dev: rows.slice(0, 1) }, files: 2 },
  'acme/not-swe-bench': { sha: 'a'.repeat(40), splits: { test: rows.map(({ patch: _patch, ...rest }) => rest) } },
});
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'hub-cache-'));
let endpoints: ReturnType<typeof hubEndpointsFromEnv>;

async function failure(promise: Promise<unknown>): Promise<HarnessError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HarnessError);
  return err as HarnessError;
}

beforeAll(async () => {
  const url = await server.start();
  // Through the variables a user sets, as the CLI reads them.
  endpoints = hubEndpointsFromEnv({ HF_ENDPOINT: url, HF_DATASETS_SERVER_ENDPOINT: url, HF_TOKEN: TOKEN });
});
afterAll(() => server.stop());

describe('a Hugging Face dataset by name, from a dataset server on loopback', () => {
  it('reads the same records as the JSONL, with progress, and sends HF_TOKEN as a bearer token', async () => {
    const progress: TransferProgress[] = [];
    const dataset = await loadDatasetFrom('lite', { cacheDir, endpoints, onProgress: (p) => progress.push(p) });
    expect(dataset.source).toBe('hf');
    expect(dataset.problems).toEqual([]);
    expect(dataset.instances.length).toBe(rows.length);
    expect(dataset.instances).toEqual(loadDataset(JSONL).instances);
    expect(progress.map((p) => p.phase)).toContain('start');
    expect(progress.at(-1)?.phase).toBe('done');
    expect(progress.some((p) => p.phase === 'progress' && (p.doneBytes ?? 0) > 0)).toBe(true);
    const fileRequests = server.requests.filter((r) => r.url.startsWith('/files/'));
    expect(fileRequests.length).toBe(2);
    for (const r of server.requests) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('reads the dev split by --split', async () => {
    const dataset = await loadDatasetFrom('princeton-nlp/SWE-bench_Lite', { cacheDir, endpoints, split: 'dev' });
    expect(dataset.instances.map((i) => i.instance_id)).toEqual([rows[0]?.instance_id]);
  });

  it('refuses a dataset with no patch column, naming the column', async () => {
    const err = await failure(loadDatasetFrom('acme/not-swe-bench', { cacheDir, endpoints }));
    expect(err.code).toBe('DATASET_INVALID');
    expect(err.describe()).toContain('no column patch');
  });

  it('says a dataset the server does not know is not found, naming it', async () => {
    const err = await failure(loadDatasetFrom('nobody/no-such-set', { cacheDir, endpoints }));
    expect(err.code).toBe('DATASET_NOT_FOUND');
    expect(err.message).toContain('nobody/no-such-set');
  });

  it('says a split the dataset lacks is not found, naming it and the splits there are', async () => {
    const err = await failure(loadDatasetFrom('lite', { cacheDir, endpoints, split: 'validation' }));
    expect(err.code).toBe('DATASET_NOT_FOUND');
    expect(err.message).toContain('"validation"');
    expect(err.message).toContain('dev, test');
  });

  it('loads again from the cache with the server stopped, by name and by pinned commit', async () => {
    await server.stop();
    const again = await loadDatasetFrom('lite', { cacheDir, endpoints });
    expect(again.instances).toEqual(loadDataset(JSONL).instances);
    const pinned = await loadDatasetFrom(`princeton-nlp/SWE-bench_Lite@${SHA}`, { cacheDir, endpoints });
    expect(pinned.instances.length).toBe(rows.length);
    // A dataset never downloaded cannot come from anywhere: the unreachable server is named.
    const err = await failure(loadDatasetFrom('verified', { cacheDir, endpoints }));
    expect(err.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });
});
