import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { contentHash } from '../util/hash.js';
import type { Problem, Sample, SampleResult } from './problem.js';
import type { ProgramLimits } from './programs.js';
import type { RunnerJob, RunnerResult } from './runner-protocol.js';

/** A result line of results.jsonl: the shared SampleResult plus the key of what produced it. */
export interface StoredResult extends SampleResult {
  key: string;
}

/**
 * What decides a sample's outcome: the problem, the completion (or EvalPlus's solution), the
 * image it ran in and the limits. A rerun skips a sample whose key has a result; anything else
 * changed runs it again.
 */
export function resultKey(problem: Problem, sample: Pick<Sample, 'completion' | 'solution'>, imageId: string, limits: ProgramLimits): string {
  const { completion, solution } = sample;
  // A completion's key is what it was before solutions were taken: earlier results stay reusable.
  return contentHash(solution === undefined ? { problem, completion, imageId, limits } : { problem, completion, solution, imageId, limits }, 24);
}

/** A folder name for a task: readable, and made unique by a hash (ids hold `/`, and may collide once cleaned). */
export function taskFolder(problem: Pick<Problem, 'task_id' | 'language'>): string {
  const readable = `${problem.language}__${problem.task_id}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
  return `${readable}-${contentHash([problem.language, problem.task_id], 8)}`;
}

/**
 * runs/<run_id>/function-level/: results.jsonl (appended as samples finish, so an interrupted
 * run keeps what it did; rewritten in sample order at the end) and logs/<task>/<index>.log.
 */
export class ResultStore {
  readonly resultsFile: string;
  private readonly byKey = new Map<string, StoredResult>();

  constructor(readonly dir: string) {
    mkdirSync(path.join(dir, 'logs'), { recursive: true });
    this.resultsFile = path.join(dir, 'results.jsonl');
    if (existsSync(this.resultsFile)) {
      for (const line of readFileSync(this.resultsFile, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as StoredResult;
          if (typeof r.key === 'string') this.byKey.set(r.key, r);
        } catch {
          // A line cut by a crash mid-write: that sample runs again.
        }
      }
    }
  }

  get(key: string): StoredResult | undefined {
    return this.byKey.get(key);
  }

  add(result: StoredResult, log: string, problem: Problem): void {
    this.byKey.set(result.key, result);
    appendFileSync(this.resultsFile, `${JSON.stringify(result)}\n`);
    const dir = path.join(this.dir, 'logs', taskFolder(problem));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${result.sample_index}.log`), log);
  }

  /**
   * The results of this run's samples only, in their order: what results.jsonl holds at the
   * end. Samples with the same key (the same completion of a problem, common at low
   * temperature) share one outcome, each under its own index.
   */
  finish(samples: Array<Pick<StoredResult, 'key' | 'task_id' | 'sample_index'>>): StoredResult[] {
    const results = samples.flatMap((s) => {
      const stored = this.byKey.get(s.key);
      return stored ? [{ ...stored, task_id: s.task_id, sample_index: s.sample_index }] : [];
    });
    writeFileAtomic(this.resultsFile, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return results;
  }
}

/** A sample's log: its outcome, the program as run, and what each step printed. */
export function sampleLog(result: StoredResult, job: RunnerJob | undefined, run: RunnerResult | undefined): string {
  const lines = [
    `task: ${result.task_id}  sample: ${result.sample_index}  language: ${result.language}`,
    `outcome: ${result.outcome}${result.detail ? `  (${result.detail})` : ''}  duration: ${result.duration_s} s  key: ${result.key}`,
  ];
  if (run) {
    lines.push(`steps: ${JSON.stringify(run.steps)}  oom kills: ${run.oom_kills}  leftover kill rounds: ${run.leftover_rounds}  output bytes: ${run.output_bytes}`);
  }
  for (const [name, text] of Object.entries(job?.files ?? {})) lines.push('', `===== ${name} =====`, text.length > 200_000 ? `${text.slice(0, 200_000)}\n[... cut ...]` : text);
  if (run) lines.push('', '===== stdout =====', run.stdout, '', '===== stderr =====', run.stderr);
  return `${lines.join('\n')}\n`;
}
