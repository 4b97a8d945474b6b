import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The per-instance harness log: library code writes here instead of printing. */
export class InstanceLog {
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  info(message: string): void {
    appendFileSync(this.file, `${new Date().toISOString()} ${message}\n`);
  }
}
