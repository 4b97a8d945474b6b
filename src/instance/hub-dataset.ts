import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { isSafeName, pathInside, SAFE_NAME_MAX } from '../util/safe-path.js';
import type { TransferListener } from '../util/transfer-progress.js';
import { describeRef, type HubDatasetRef } from './dataset-name.js';
import { HubClient, HubUnreachable, hubEndpointsFromEnv, type HubEndpoints, type ParquetFileEntry } from './hub-client.js';

export interface HubFetchOptions {
  /** .swe-harness/datasets by default: <owner>__<name>/<sha>/<config>/<split>/. */
  cacheDir: string;
  endpoints?: HubEndpoints;
  onProgress?: TransferListener;
}

/** A split on disk: its parquet files, and the commit of the dataset they are from. */
export interface CachedSplit {
  ref: HubDatasetRef;
  sha: string;
  config: string;
  files: string[];
}

interface Manifest {
  dataset: string;
  sha: string;
  config: string;
  split: string;
  files: string[];
  fetched_at: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * One split of a Hugging Face dataset as local parquet files, downloaded once per commit of
 * the dataset. A rerun is served from the cache: with a pinned commit without asking anything,
 * otherwise after asking which commit the revision is now; when the hub cannot be reached the
 * commit last seen for that revision is used (HF_HUB_OFFLINE=1 never asks).
 */
export async function fetchHubSplit(ref: HubDatasetRef, opts: HubFetchOptions): Promise<CachedSplit> {
  const endpoints = opts.endpoints ?? hubEndpointsFromEnv();
  const client = new HubClient(endpoints);
  const root = pathInside(opts.cacheDir, safeName(ref.id.replace('/', '__')));
  const revision = ref.revision ?? 'main';
  const pinnedHit = FULL_SHA.test(revision) ? cachedSplit(root, revision, ref) : undefined;
  if (pinnedHit) return pinnedHit;
  const sha = await currentSha(client, root, ref, revision, endpoints.offline);
  const hit = cachedSplit(root, sha, ref);
  if (hit) return hit;
  if (endpoints.offline) throw new HarnessError('DATASET_NOT_FOUND', `${describeRef(ref, sha)} is not cached in ${opts.cacheDir} and HF_HUB_OFFLINE is set`);
  return download(client, root, ref, sha, opts.onProgress);
}

async function currentSha(client: HubClient, root: string, ref: HubDatasetRef, revision: string, offline: boolean): Promise<string> {
  const remembered = readRef(root, revision);
  if (offline) {
    if (remembered) return remembered;
    throw new HarnessError('DATASET_NOT_FOUND', `${describeRef(ref)} was never downloaded and HF_HUB_OFFLINE is set`);
  }
  try {
    const sha = await client.resolveRevision(ref.id, revision);
    writeRef(root, revision, sha);
    return sha;
  } catch (err) {
    // No answer at all (not a refusal): the copy last downloaded for this revision stands in.
    if (err instanceof HubUnreachable && remembered) return remembered;
    throw err;
  }
}

async function download(client: HubClient, root: string, ref: HubDatasetRef, sha: string, onProgress?: TransferListener): Promise<CachedSplit> {
  // The dataset server converts only a dataset's newest commit: an older pin must be cached.
  if (ref.revision && ref.revision !== 'main') {
    const newest = await client.resolveRevision(ref.id, 'main');
    if (newest !== sha) {
      throw new HarnessError('DATASET_NOT_FOUND', `${describeRef(ref, sha)} is not cached, and the dataset server serves only the newest commit (${newest.slice(0, 12)})`);
    }
  }
  const listing = await client.listParquetFiles(ref.id);
  const config = chooseConfig(ref, listing);
  const entries = listing.filter((f) => f.config === config && f.split === ref.split).sort((a, b) => a.filename.localeCompare(b.filename));
  if (entries.length === 0) {
    const splits = [...new Set(listing.filter((f) => f.config === config).map((f) => f.split))].sort();
    throw new HarnessError('DATASET_NOT_FOUND', `${ref.id} has no split ${JSON.stringify(ref.split)} (it has: ${splits.join(', ') || 'none'})`, { field: 'split' });
  }
  const dir = splitDir(root, sha, config, ref.split);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const name = describeRef(ref, sha);
  const totalBytes = entries.reduce((n, e) => n + (e.size ?? 0), 0) || undefined;
  onProgress?.({ kind: 'dataset', name, phase: 'start', doneBytes: 0, totalBytes });
  try {
    const files = await downloadAll(client, entries, partial, { name, totalBytes, onProgress });
    writeFileSync(path.join(partial, 'manifest.json'), JSON.stringify({ dataset: ref.id, sha, config, split: ref.split, files, fetched_at: new Date().toISOString() } satisfies Manifest, null, 2));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    renameSync(partial, dir); // the manifest arrives with the files: a cache entry is whole or absent
    onProgress?.({ kind: 'dataset', name, phase: 'done', doneBytes: totalBytes, totalBytes });
    return { ref, sha, config, files: files.map((f) => path.join(dir, f)) };
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    onProgress?.({ kind: 'dataset', name, phase: 'failed', detail: (err as Error).message });
    throw err;
  }
}

async function downloadAll(client: HubClient, entries: ParquetFileEntry[], dir: string, p: { name: string; totalBytes?: number; onProgress?: TransferListener }): Promise<string[]> {
  const files: string[] = [];
  let before = 0;
  for (const [i, entry] of entries.entries()) {
    const file = `${String(i).padStart(4, '0')}.parquet`;
    await client.download(entry.url, path.join(dir, file), {
      name: p.name,
      onProgress: (e) => p.onProgress?.({ ...e, doneBytes: before + (e.doneBytes ?? 0), totalBytes: p.totalBytes ?? e.totalBytes }),
    });
    before += entry.size ?? 0;
    files.push(file);
  }
  return files;
}

function chooseConfig(ref: HubDatasetRef, listing: ParquetFileEntry[]): string {
  const configs = [...new Set(listing.map((f) => f.config))].sort();
  if (ref.config) {
    if (configs.includes(ref.config)) return ref.config;
    throw new HarnessError('DATASET_NOT_FOUND', `${ref.id} has no config ${JSON.stringify(ref.config)} (it has: ${configs.join(', ')})`);
  }
  if (configs.length === 1) return configs[0] as string;
  if (configs.includes('default')) return 'default';
  if (configs.length === 0) throw new HarnessError('DATASET_NOT_FOUND', `the dataset server lists no parquet files for ${ref.id} (not converted yet?)`);
  throw new HarnessError('USAGE', `${ref.id} has several configs (${configs.join(', ')}): name one`);
}

function splitDir(root: string, sha: string, config: string, split: string): string {
  return pathInside(root, sha, safeName(config), safeName(split));
}

/** A hub name (config, split, revision) as one folder name; the sha from the server is checked by pathInside. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^\w.-]/g, '_');
  return isSafeName(cleaned) ? cleaned : `_${cleaned}`.slice(0, SAFE_NAME_MAX);
}

/** The cached split for a commit, if whole (its manifest is written last). */
function cachedSplit(root: string, sha: string, ref: HubDatasetRef): CachedSplit | undefined {
  const shaDir = pathInside(root, sha);
  if (!existsSync(shaDir)) return undefined;
  const configs = ref.config ? [safeName(ref.config)] : readdirSync(shaDir);
  for (const config of configs) {
    const manifestFile = pathInside(shaDir, config, safeName(ref.split), 'manifest.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    return { ref, sha, config: manifest.config, files: manifest.files.map((f) => pathInside(path.dirname(manifestFile), f)) };
  }
  return undefined;
}

function refFile(root: string, revision: string): string {
  return pathInside(root, 'refs', safeName(revision));
}

function readRef(root: string, revision: string): string | undefined {
  const file = refFile(root, revision);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

function writeRef(root: string, revision: string, sha: string): void {
  mkdirSync(path.join(root, 'refs'), { recursive: true });
  writeFileSync(refFile(root, revision), `${sha}\n`);
}
