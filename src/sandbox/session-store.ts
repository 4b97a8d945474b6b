import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { pathInside, safePathSegment } from '../util/safe-path.js';

export const sessionStateSchema = z.object({
  sessionId: z.string(),
  runId: z.string(),
  instanceId: z.string(),
  /** The instance image the session started from. */
  image: z.string(),
  baseCommit: z.string(),
  workdir: z.string(),
  containerId: z.string(),
  limits: z.object({ memoryMb: z.number(), cpus: z.number(), pids: z.number(), network: z.boolean() }).passthrough(),
  snapshots: z.array(z.object({ name: z.string(), image: z.string(), createdAt: z.string() })),
  /** The test command and parser, for the run_tests tool. */
  testCommand: z.string(),
  logParser: z.string(),
  createdAt: z.string(),
  /** Who started it (see util/owner.ts); the session outlives that process on purpose. */
  owner: z.string().optional(),
  stoppedAt: z.string().optional(),
});

export type SessionState = z.infer<typeof sessionStateSchema>;

/** Session state on disk, one JSON file per session, written atomically. */
export class SessionStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.resolve(stateDir, 'sessions');
  }

  /** Where a session's state is: its containers and snapshots carry it as a label. */
  file(sessionId: string): string {
    return pathInside(this.dir, `${safePathSegment(sessionId, 'session id')}.json`);
  }

  save(state: SessionState): void {
    writeJsonAtomic(this.file(state.sessionId), state);
  }

  load(sessionId: string): SessionState {
    const file = this.file(sessionId);
    if (!existsSync(file)) {
      throw new HarnessError('SESSION_GONE', `no session ${sessionId} (no state in ${this.dir}); \`swe-harness session list\` shows the known ones`, { file });
    }
    const parsed = sessionStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new HarnessError('SESSION_GONE', `the state of session ${sessionId} is unreadable`, { file });
    return parsed.data;
  }

  list(): SessionState[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          return [this.load(f.slice(0, -'.json'.length))];
        } catch {
          return [];
        }
      });
  }

  remove(sessionId: string): void {
    rmSync(this.file(sessionId), { force: true });
  }
}
