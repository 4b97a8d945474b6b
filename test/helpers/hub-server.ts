import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** A dataset as the fake server holds it: rows per split, written to parquet in `files` parts. */
export interface FakeDataset {
  sha: string;
  splits: Record<string, Array<Record<string, string>>>;
  files?: number;
  config?: string;
}

/** Rows as a parquet file with string columns, the way the dataset server converts SWE-bench. */
export function rowsToParquet(rows: Array<Record<string, string>>): Buffer {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columnData = names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null), type: 'STRING' as const }));
  return Buffer.from(parquetWriteBuffer({ columnData }));
}

/**
 * The two Hugging Face endpoints the harness asks, on loopback: the hub's revision API
 * (/api/datasets/ID/revision/REV) and the dataset server's /parquet listing, plus the files
 * the listing points at. Every request's headers are kept, to check the token.
 */
export class FakeHubServer {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  private readonly files = new Map<string, Buffer>();
  private server?: Server;
  url = '';

  constructor(private readonly datasets: Record<string, FakeDataset>) {}

  async start(): Promise<string> {
    for (const [id, ds] of Object.entries(this.datasets)) {
      for (const [split, rows] of Object.entries(ds.splits)) {
        const parts = Math.min(ds.files ?? 1, rows.length);
        const size = Math.ceil(rows.length / parts);
        for (let p = 0; p < parts; p++) this.files.set(`/files/${id}/${split}/${p}.parquet`, rowsToParquet(rows.slice(p * size, (p + 1) * size)));
      }
    }
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      const { status, body, type } = this.answer(new URL(req.url ?? '/', this.url));
      res.writeHead(status, { 'content-type': type, 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
  }

  private answer(url: URL): { status: number; body: Buffer; type: string } {
    const json = (status: number, value: unknown) => ({ status, body: Buffer.from(JSON.stringify(value)), type: 'application/json' });
    const revision = /^\/api\/datasets\/(.+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (revision) {
      const ds = this.datasets[revision[1] as string];
      return ds ? json(200, { id: revision[1], sha: ds.sha }) : json(404, { error: 'Repository not found' });
    }
    if (url.pathname === '/parquet') {
      const id = url.searchParams.get('dataset') ?? '';
      const ds = this.datasets[id];
      if (!ds) return json(404, { error: "The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication." });
      const parquet_files = [...this.files.entries()]
        .filter(([file]) => file.startsWith(`/files/${id}/`))
        .map(([file, bytes]) => {
          const [split, name] = file.split('/').slice(-2);
          return { dataset: id, config: ds.config ?? 'default', split, url: `${this.url}${file}`, filename: name, size: bytes.length };
        });
      return json(200, { parquet_files, pending: [], failed: [], partial: false });
    }
    const file = this.files.get(url.pathname);
    return file ? { status: 200, body: file, type: 'application/octet-stream' } : json(404, { error: 'not found' });
  }
}
