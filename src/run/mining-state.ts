import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a `tasks mine` has decided so far, one JSON line per candidate, appended as each one
 * ends: a killed run continues where it stopped. A line counts only for the same key (the
 * commit, the spec's hash and the repeats), so an edited spec decides its candidates again.
 */
export class MiningState<T> {
  private readonly done = new Map<string, T>();

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as { key: string; value: T };
        this.done.set(entry.key, entry.value);
      } catch {
        // the last line of a killed run may be cut short: that candidate is decided again
      }
    }
  }

  get(key: string): T | undefined {
    return this.done.get(key);
  }

  record(key: string, value: T): void {
    this.done.set(key, value);
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify({ key, value })}\n`);
  }
}
