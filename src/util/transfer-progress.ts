/**
 * Progress of a download (a dataset's parquet files, an image pull), reported by library code
 * through a callback; the CLI draws it. Bytes may be unknown (a registry that sends no size).
 */
export interface TransferProgress {
  kind: 'dataset' | 'image';
  /** What is being fetched: a dataset name with its split, or an image reference. */
  name: string;
  phase: 'start' | 'progress' | 'retry' | 'done' | 'failed';
  doneBytes?: number;
  totalBytes?: number;
  /** A line for a person: why a retry happens, what failed. */
  detail?: string;
}

export type TransferListener = (progress: TransferProgress) => void;
