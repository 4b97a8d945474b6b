import type { ProblemLanguage, SampleOutcome } from './problem.js';
import type { RunnerResult } from './runner-protocol.js';

/**
 * A runner result as an outcome: passed, failed (which assertion), timeout, error (which
 * exception), killed (why). Pure: reads the steps, the wrapper's report and the output.
 */
export interface Classified {
  outcome: SampleOutcome;
  detail?: string;
}

const DETAIL_MAX = 500;

function short(text: string): string {
  const one = text.trim();
  return one.length > DETAIL_MAX ? `${one.slice(0, DETAIL_MAX)}…` : one;
}

const MEMORY_SIGNS = [/MemoryError/, /JavaScript heap out of memory/, /fatal error: runtime: out of memory/, /Cannot allocate memory/];

function firstMatch(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[0];
}

/** The line that says why a compile step failed: tsc's `error TS…`, Go's `file:line: …`. */
function compileError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error TS\d+|\.go:\d+:\d+:|error:/i.test(l)) ?? lines[0] ?? 'no output';
}

function pythonOutcome(r: RunnerResult, exitCode: number | null): Classified {
  const report = r.report;
  if (report?.ended === 'completed' && exitCode === 0) return { outcome: 'passed' };
  if (report?.ended === 'exception') {
    if (report.type === 'MemoryError') return { outcome: 'killed', detail: 'memory: MemoryError' };
    if (report.type === 'AssertionError') {
      // A bare assert says nothing: its line does. The checks of fl_checks.py say which case.
      const where = report.line ? `line ${report.lineno}: ${report.line}` : 'AssertionError';
      return { outcome: 'failed', detail: short(report.message || where) };
    }
    return { outcome: 'error', detail: short(`${report.type}: ${report.message ?? ''}`) };
  }
  // No valid report: the program ended itself (os._exit) or faked one; it did not finish its tests.
  return { outcome: 'error', detail: `exited (code ${exitCode}) before its tests finished${lastLine(r.stderr)}` };
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim();
  return line ? `: ${short(line)}` : '';
}

function nodeOutcome(r: RunnerResult, exitCode: number | null): Classified {
  if (exitCode === 0) return { outcome: 'passed' };
  const assertion = firstMatch(r.stderr, /AssertionError[^\n]*(\n+[^\n]+){0,3}/);
  if (assertion) return { outcome: 'failed', detail: short(assertion.replace(/\n+/g, ' ')) };
  const error = firstMatch(r.stderr, /^\w*(Error|Exception)\b[^\n]*/m);
  return { outcome: 'error', detail: error ? short(error) : `exit ${exitCode}${lastLine(r.stderr)}` };
}

function goOutcome(r: RunnerResult, exitCode: number | null): Classified {
  const output = `${r.stdout}\n${r.stderr}`;
  if (exitCode === 0 && !output.includes('--- FAIL')) return { outcome: 'passed' };
  const panic = firstMatch(output, /^panic:[^\n]*/m);
  if (panic) return { outcome: 'error', detail: short(panic) };
  if (output.includes('--- FAIL')) {
    const failure = output.split('\n').find((l) => /^\s+\S+\.go:\d+:/.test(l));
    return { outcome: 'failed', detail: short(failure ?? firstMatch(output, /--- FAIL[^\n]*/) ?? 'FAIL') };
  }
  return { outcome: 'error', detail: `exit ${exitCode}${lastLine(output)}` };
}

const RUN_OUTCOMES: Record<string, (r: RunnerResult, exitCode: number | null) => Classified> = {
  python: pythonOutcome,
  javascript: nodeOutcome,
  typescript: nodeOutcome,
  go: goOutcome,
};

export function classify(r: RunnerResult, language: ProblemLanguage, timeoutS: number): Classified {
  if (r.runner_error) return { outcome: 'error', detail: `runner: ${short(r.runner_error)}` };
  const last = r.steps.at(-1);
  if (!last) return { outcome: 'error', detail: 'runner: no step ran' };
  if (last.killed_by === 'timeout') return { outcome: 'timeout', detail: last.stage === 'compile' ? 'compile step timed out' : `over ${timeoutS} s` };
  if (last.killed_by === 'output-limit') return { outcome: 'killed', detail: `output: over the limit (${r.output_bytes} bytes)` };
  const output = `${r.stdout}\n${r.stderr}`;
  if (last.signal === 9 && r.oom_kills > 0) return { outcome: 'killed', detail: 'memory: the out-of-memory killer' };
  // Python's MemoryError comes through its report; Node and Go only say it on stderr.
  const memorySign = r.report === null && last.exit_code !== 0 ? MEMORY_SIGNS.find((sign) => sign.test(r.stderr)) : undefined;
  if (memorySign) return { outcome: 'killed', detail: `memory: ${short(firstMatch(r.stderr, memorySign) ?? '')}` };
  if (last.signal !== null) return { outcome: 'killed', detail: `signal ${last.signal}` };
  if (last.stage === 'compile') return { outcome: 'error', detail: `compile: ${short(compileError(output))}` };
  const run = RUN_OUTCOMES[language];
  return run ? run(r, last.exit_code) : { outcome: 'error', detail: `no runner for language ${language}` };
}
