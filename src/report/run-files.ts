import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InstanceResult } from './instance-result.js';
import type { RunSummary } from './summary.js';

/**
 * The files a run leaves, read as they are: runs/<run>/<model>/<instance>/{report.json,
 * patch.diff, test_output.txt}, runs/<run>/<model>.<run>.json, and for agent runs
 * runs/<run>/agent/<instance>/<sample>/{trajectory.jsonl, result.json} and pass_at_k.json.
 * The trajectory is read by its JSON shape (report/ sits below agent/ and cannot import it).
 */
export interface StepFile {
  step: number;
  assistant?: { content?: string; toolCalls?: Array<{ name: string; arguments: string }> };
  tool_calls?: Array<{ name: string; arguments: string; output: string; is_error?: boolean }>;
  notice?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  cost_usd?: number;
  priced?: boolean;
  duration_ms?: number;
}

export interface EpisodeFile {
  exit_status: string;
  message?: string;
  steps: number;
  cost_usd: number;
  tokens: number;
  wall_s: number;
  model?: string;
}

export interface TrajectoryFile {
  /** The task as the agent was given it (the header's user message). */
  task?: string;
  steps: StepFile[];
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const dirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory()) : []);

export interface ResultFiles {
  modelDir: string;
  result: InstanceResult;
  patch?: string;
  testLog?: string;
}

/** Every report.json of the run, with the patch and test log beside it. */
export function readResults(runDir: string): ResultFiles[] {
  const out: ResultFiles[] = [];
  for (const modelDir of dirs(runDir).filter((d) => d !== 'agent')) {
    for (const id of dirs(path.join(runDir, modelDir))) {
      const dir = path.join(runDir, modelDir, id);
      const report = readJson<Record<string, InstanceResult>>(path.join(dir, 'report.json'));
      const result = report ? Object.values(report)[0] : undefined;
      if (result) out.push({ modelDir, result, patch: readText(path.join(dir, 'patch.diff')), testLog: readText(path.join(dir, 'test_output.txt')) });
    }
  }
  return out;
}

/** The run summaries (<model>.<run>.json) at the top of the run folder. */
export function readSummaries(runDir: string): RunSummary[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .filter((n) => n.endsWith('.json') && n !== 'pass_at_k.json')
    .map((n) => readJson<RunSummary>(path.join(runDir, n)))
    .filter((s): s is RunSummary => s?.schema_version !== undefined && Array.isArray(s.resolved_ids));
}

export function readPassAtK(runDir: string): Record<string, number> | undefined {
  return readJson<{ pass_at_k: Record<string, number> }>(path.join(runDir, 'pass_at_k.json'))?.pass_at_k;
}

export function readEpisode(runDir: string, instanceId: string, sample: number): EpisodeFile | undefined {
  return readJson<EpisodeFile>(path.join(runDir, 'agent', instanceId, String(sample), 'result.json'));
}

/** A trajectory; a last line cut off by a crash ends it. */
export function readTrajectoryFile(runDir: string, instanceId: string, sample: number): TrajectoryFile | undefined {
  const text = readText(path.join(runDir, 'agent', instanceId, String(sample), 'trajectory.jsonl'));
  if (text === undefined) return undefined;
  const trajectory: TrajectoryFile = { steps: [] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: { type?: string; messages?: Array<{ role: string; content: string }> } & StepFile;
    try {
      parsed = JSON.parse(line);
    } catch {
      break;
    }
    if (parsed.type === 'header') trajectory.task = parsed.messages?.find((m) => m.role === 'user')?.content;
    if (parsed.type === 'step') trajectory.steps.push(parsed);
  }
  return trajectory;
}
