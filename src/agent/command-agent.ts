import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, saveHarnessConfig } from '../config/harness-config.js';
import { OutputCollector } from '../util/head-tail.js';
import { sandboxProvider } from '../sandbox/registry.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { episodeResult, readPatch, resultFile, type EpisodeInput, type EpisodeResult, type Player } from './episode.js';
import { TrajectoryWriter } from './trajectory.js';

/**
 * An outside agent program. It runs on the host, in the episode's folder, and reaches the
 * sandbox through the harness (SWE_HARNESS_CONFIG points the CLI at this run's config): `$SWE_HARNESS session exec $SWE_HARNESS_SESSION -- CMD`, or
 * `$SWE_HARNESS mcp --session $SWE_HARNESS_SESSION` for the tools over MCP. The problem
 * statement is in $SWE_HARNESS_PROBLEM_FILE. When it exits, the session's diff is the patch.
 */
export async function runCommandEpisode(input: Omit<EpisodeInput, 'makeModel'> & { command: string }): Promise<EpisodeResult> {
  if (existsSync(resultFile(input.outDir))) return JSON.parse(readFileSync(resultFile(input.outDir), 'utf8')) as EpisodeResult;
  const sandbox = await sandboxProvider().start({ config: input.config, instance: input.instance, runId: input.runId, repoDirs: input.repoDirs, spec: input.spec });
  mkdirSync(input.outDir, { recursive: true });
  const problemFile = path.join(input.outDir, 'problem_statement.md');
  writeFileSync(problemFile, input.instance.problem_statement);
  const cli = `${process.execPath} ${path.join(PROJECT_ROOT, 'dist/src/cli/main.js')}`;
  const configFile = path.join(input.outDir, 'harness-config.yaml');
  saveHarnessConfig(input.config, configFile);
  const writer = new TrajectoryWriter(path.join(input.outDir, 'trajectory.jsonl'));
  const model: Player = { model: `command:${input.command}`, sampling: {} };
  writer.write({ type: 'header', instance_id: input.instance.instance_id, agent: 'command', model: model.model, sampling: {}, limits: { ...input.limits }, messages: [], started_at: new Date().toISOString() });
  // The session is this episode's: removed however the episode ends (its shell's socket would keep the process alive).
  try {
    const started = Date.now();
    const run = await runProgram(input.command, {
      cwd: input.outDir,
      env: { ...process.env, SWE_HARNESS: cli, SWE_HARNESS_CONFIG: configFile, SWE_HARNESS_SESSION: sandbox.sessionId, SWE_HARNESS_INSTANCE: input.instance.instance_id, SWE_HARNESS_PROBLEM_FILE: problemFile, SWE_HARNESS_WORKDIR: sandbox.workdir },
      timeoutMs: input.limits.maxWallSeconds * 1000,
      signal: input.signal,
    });
    const wallMs = Date.now() - started;
    const { patch, error } = await readPatch(sandbox);
    const status = run.exitCode === 0 ? 'submitted' : run.timedOut ? 'time_limit' : 'agent_error';
    writer.write({ type: 'step', step: 1, assistant: { role: 'assistant', content: run.output }, tool_calls: [], usage: { inputTokens: 0, outputTokens: 0 }, cost_usd: 0, model_latency_ms: 0, duration_ms: wallMs, at: new Date().toISOString() });
    writer.write({ type: 'end', exit_status: status, message: error?.message, at: new Date().toISOString() });
    const result = episodeResult(input, model, status, run.exitCode === 0 ? undefined : `exit ${run.exitCode}`, patch, { steps: 1, costUsd: 0, tokens: 0, wallMs, formatErrors: 0 }, sandbox.sessionId, error);
    writeJsonAtomic(resultFile(input.outDir), result);
    return result;
  } finally {
    await sandbox.destroy().catch(() => undefined);
  }
}

/** After the program exits, how long what is still in its pipes gets to arrive. */
const DRAIN_MS = 500;

/**
 * The program runs as its own process group, so what it leaves behind (a daemon, a `cmd &`
 * holding its stdout) is killed when it exits or times out: otherwise the pipes never close
 * and the run never ends.
 */
function runProgram(command: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; signal: AbortSignal }): Promise<{ exitCode: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal, detached: true });
    const output = new OutputCollector(256 * 1024);
    child.stdout.on('data', (chunk: Buffer) => output.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.append(chunk));
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    let drain: NodeJS.Timeout | undefined;
    child.on('error', (err) => (opts.signal.aborted ? resolve({ exitCode: null, output: output.text(), timedOut }) : reject(err)));
    child.on('exit', () => {
      clearTimeout(timer);
      killGroup();
      drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, DRAIN_MS);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(drain);
      resolve({ exitCode: code, output: output.text(), timedOut });
    });
  });
}
