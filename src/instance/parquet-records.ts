import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { HarnessError } from '../errors.js';
import type { RawRecord } from './load-dataset.js';

/** SWE-bench's columns an instance cannot do without (the rest have defaults or are ours). */
export const REQUIRED_COLUMNS = ['instance_id', 'repo', 'base_commit', 'patch', 'test_patch', 'problem_statement', 'version', 'FAIL_TO_PASS', 'PASS_TO_PASS'];

/** The columns a kind of dataset cannot do without, and what to call it when one is missing. */
export interface ExpectedColumns {
  columns: readonly string[];
  kind: string;
}

const SWE_BENCH_COLUMNS: ExpectedColumns = { columns: REQUIRED_COLUMNS, kind: 'a SWE-bench dataset' };

/**
 * The rows of parquet files as raw records, for the same validation as a JSONL file. A file
 * without one of the expected columns (SWE-bench's by default) is refused as a whole, naming
 * the column: every row would fail the same way.
 */
export async function readParquetRecords(
  files: Array<{ path: string; label: string }>,
  datasetName: string,
  expected: ExpectedColumns = SWE_BENCH_COLUMNS,
): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for (const file of files) {
    let rows: Array<Record<string, unknown>>;
    try {
      const buffer = await asyncBufferFromFile(file.path);
      const metadata = await parquetMetadataAsync(buffer);
      const columns = new Set(metadata.schema.slice(1).map((element) => element.name));
      const missing = expected.columns.filter((c) => !columns.has(c));
      if (missing.length > 0) {
        throw new HarnessError('DATASET_INVALID', `${datasetName} has no column ${missing.join(', ')}: not ${expected.kind}`, { file: file.label, field: missing[0] });
      }
      rows = await parquetReadObjects({ file: buffer, metadata });
    } catch (cause) {
      if (cause instanceof HarnessError) throw cause;
      throw new HarnessError('DATASET_INVALID', `cannot read parquet file: ${(cause as Error).message}`, { file: file.label }, { cause });
    }
    rows.forEach((row, i) => records.push({ file: file.label, location: `row ${i}`, value: plainRow(row) }));
  }
  return records;
}

/** Parquet's int64 reads as a BigInt, which JSON (reports, caches) cannot hold. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
  return out;
}
