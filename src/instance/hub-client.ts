import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HarnessError } from '../errors.js';
import type { TransferListener } from '../util/transfer-progress.js';

/**
 * Where Hugging Face is. HF_ENDPOINT is the hub clients' own variable (huggingface_hub,
 * datasets); the dataset server has none in those clients, so ours is
 * HF_DATASETS_SERVER_ENDPOINT. HF_TOKEN is sent as a bearer token, only to these two origins.
 * HF_HUB_OFFLINE=1 (the hub clients' convention) never touches the network.
 */
export interface HubEndpoints {
  hub: string;
  datasetsServer: string;
  token?: string;
  offline: boolean;
}

export function hubEndpointsFromEnv(env: NodeJS.ProcessEnv = process.env): HubEndpoints {
  return {
    hub: (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''),
    datasetsServer: (env.HF_DATASETS_SERVER_ENDPOINT || 'https://datasets-server.huggingface.co').replace(/\/+$/, ''),
    token: env.HF_TOKEN || undefined,
    offline: ['1', 'true', 'yes'].includes((env.HF_HUB_OFFLINE ?? '').toLowerCase()),
  };
}

/** One parquet file of the dataset server's listing (GET /parquet?dataset=...). */
export interface ParquetFileEntry {
  dataset: string;
  config: string;
  split: string;
  url: string;
  filename: string;
  size?: number;
}

const METADATA_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

export class HubClient {
  constructor(private readonly endpoints: HubEndpoints) {}

  /** The commit a revision (branch, tag or sha) of a dataset names. */
  async resolveRevision(id: string, revision: string): Promise<string> {
    const url = `${this.endpoints.hub}/api/datasets/${id}/revision/${encodeURIComponent(revision)}`;
    const body = (await this.getJson(url, `dataset ${id} at revision ${revision}`)) as { sha?: unknown };
    if (typeof body.sha !== 'string') throw new HarnessError('DATASET_INVALID', `the hub did not say which commit ${id}@${revision} is (${url})`);
    return body.sha;
  }

  async listParquetFiles(id: string): Promise<ParquetFileEntry[]> {
    const url = `${this.endpoints.datasetsServer}/parquet?dataset=${encodeURIComponent(id)}`;
    const body = (await this.getJson(url, `dataset ${id}`)) as { parquet_files?: unknown };
    if (!Array.isArray(body.parquet_files)) throw new HarnessError('DATASET_INVALID', `the dataset server's listing for ${id} has no parquet_files (${url})`);
    return body.parquet_files as ParquetFileEntry[];
  }

  /** Streams a file to disk, reporting bytes as they come. */
  async download(url: string, dest: string, progress: { name: string; onProgress?: TransferListener; totalBytes?: number }): Promise<void> {
    const response = await this.request(url, DOWNLOAD_TIMEOUT_MS, progress.name);
    if (!response.ok || !response.body) throw this.httpError(response, url, progress.name);
    const total = Number(response.headers.get('content-length')) || progress.totalBytes;
    let done = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      done += chunk.length;
      progress.onProgress?.({ kind: 'dataset', name: progress.name, phase: 'progress', doneBytes: done, totalBytes: total });
    });
    await pipeline(body, createWriteStream(dest));
  }

  private async getJson(url: string, what: string): Promise<unknown> {
    const response = await this.request(url, METADATA_TIMEOUT_MS, what);
    if (!response.ok) throw this.httpError(response, url, what);
    try {
      return await response.json();
    } catch (cause) {
      throw new HarnessError('DATASET_INVALID', `${url} did not answer JSON for ${what}`, {}, { cause });
    }
  }

  private async request(url: string, timeoutMs: number, what: string): Promise<Response> {
    try {
      return await fetch(url, { headers: this.headersFor(url), signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      const reason = (cause as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : describeFetchError(cause);
      throw new HubUnreachable(`cannot reach ${new URL(url).origin} for ${what}: ${reason}`, cause);
    }
  }

  /** The token goes to the hub and the dataset server only, never to another host. */
  private headersFor(url: string): Record<string, string> {
    const origin = new URL(url).origin;
    const ours = [this.endpoints.hub, this.endpoints.datasetsServer].map((e) => new URL(e).origin);
    return this.endpoints.token && ours.includes(origin) ? { authorization: `Bearer ${this.endpoints.token}` } : {};
  }

  private httpError(response: Response, url: string, what: string): HarnessError {
    const hint = this.endpoints.token ? '' : ' (a gated or private dataset needs HF_TOKEN)';
    if (response.status === 404) return new HarnessError('DATASET_NOT_FOUND', `no ${what} on ${new URL(url).origin}${hint}`);
    if (response.status === 401 || response.status === 403) {
      return new HarnessError('DATASET_NOT_FOUND', `${what}: access refused (HTTP ${response.status})${hint || '; check that HF_TOKEN has access'}`);
    }
    return new HarnessError('DATASET_INVALID', `${what}: ${url} answered HTTP ${response.status}`);
  }
}

/** The network failed (not an answer): a cached copy may stand in. */
export class HubUnreachable extends HarnessError {
  constructor(message: string, cause: unknown) {
    super('DATASET_NOT_FOUND', message, {}, { cause });
    this.name = 'HubUnreachable';
  }
}

function describeFetchError(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (cause as Error).message;
}
