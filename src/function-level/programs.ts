import type { IoOracle, Problem } from './problem.js';
import type { RunnerJob } from './runner-protocol.js';

/**
 * The program a sample becomes, per language and check: the files of its job and the steps
 * that run them. The text follows each format's own harness (HumanEval: prompt + completion +
 * test + check(entry_point); MultiPL-E: prompt + completion + tests), so verdicts match theirs.
 */

export interface ProgramLimits {
  /** Seconds the program's run step may take. */
  timeoutS: number;
  /** Seconds a compile step (tsc, go test -c) may take. */
  compileTimeoutS: number;
  outputCapBytes: number;
  outputLimitBytes: number;
  /** EvalPlus's time limits (default: EVALPLUS_TIME_LIMITS). */
  evalplus?: EvalPlusTimeLimits;
}

/**
 * EvalPlus's time limits: each input may take `factor` times the reference solution's time
 * on it, and at least `minS`; the whole program the sum of those, up to `taskS`, plus 1 s.
 */
export interface EvalPlusTimeLimits {
  factor: number;
  minS: number;
  taskS: number;
}

/** EvalPlus's defaults (its config.py: DEFAULT_GT_TIME_LIMIT_FACTOR, DEFAULT_MIN_TIME_LIMIT; 60 s per task). */
export const EVALPLUS_TIME_LIMITS: EvalPlusTimeLimits = { factor: 4, minS: 1, taskS: 60 };

/** Each input's time limit, from the reference solution's times; undefined without them. */
export function inputTimeLimits(referenceTimes: number[] | undefined, limits: ProgramLimits): number[] | undefined {
  if (!referenceTimes) return undefined;
  const { factor, minS } = limits.evalplus ?? EVALPLUS_TIME_LIMITS;
  return referenceTimes.map((t) => Math.max(minS, factor * t));
}

export interface ProgramInput {
  id: string;
  problem: Problem;
  completion: string;
  /** EvalPlus's whole program, run in place of prompt + completion. */
  solution?: string;
  /** EvalPlus: the reference solution's outputs (base64 pickle from the runner). */
  expected?: string;
  /** EvalPlus: the reference solution's time on each input, in seconds. */
  referenceTimes?: number[];
}

const PY_WRAPPER = '/opt/swe-harness/fl_python.py';
const PY_CHECKS = "import sys as _fl_sys\n_fl_sys.path.insert(0, '/opt/swe-harness')\nimport fl_checks as _fl_checks\n";

function program(p: Problem, completion: string): string {
  const shape = p.check.program;
  return shape === 'completion' ? completion : p.prompt + completion;
}

/** The sample's program: its solution when it has one, else what its format makes of the completion. */
function sampleProgram(input: ProgramInput): string {
  return input.solution ?? program(input.problem, input.completion);
}

function pythonJob(files: Record<string, string>, limits: ProgramLimits): Pick<RunnerJob, 'files' | 'steps'> {
  return { files, steps: [{ argv: ['python3', PY_WRAPPER, 'main.py'], timeout_s: limits.timeoutS, stage: 'run' }] };
}

/** The program's timeout: an EvalPlus program may run as long as EvalPlus lets it, or the config's timeout if longer. */
function programTimeoutS(perInput: number[] | undefined, limits: ProgramLimits): number {
  if (!perInput) return limits.timeoutS;
  const { taskS } = limits.evalplus ?? EVALPLUS_TIME_LIMITS;
  return Math.max(limits.timeoutS, Math.min(taskS, perInput.reduce((a, b) => a + b, 0)) + 1);
}

function pythonFiles(input: ProgramInput, timeLimits: number[] | undefined): Record<string, string> {
  const check = input.problem.check;
  const code = sampleProgram(input);
  switch (check.kind) {
    case 'test-program':
      return { 'main.py': `${code}\n${check.test}\n${check.call ? `check(${check.call})\n` : ''}` };
    case 'asserts':
      return { 'main.py': `${code}\n${check.setup}\n${check.asserts.join('\n')}\n` };
    case 'io': {
      const inputs = [...check.base_input, ...check.plus_input];
      const call = `_fl_checks.check_io(${check.entry_point}, 'inputs.json', 'expected.b64', ${check.atol}, ${check.base_input.length}, 'time-limits.json', ${pyOracle(check.oracle)})`;
      return { 'main.py': `${code}\n\n${PY_CHECKS}${call}\n`, 'inputs.json': JSON.stringify(inputs), 'expected.b64': input.expected ?? '', 'time-limits.json': JSON.stringify(timeLimits ?? []) };
    }
    case 'stdio': {
      const call = `_fl_checks.check_stdio('solution.py', 'cases.json', ${check.fn_name ? JSON.stringify(check.fn_name) : 'None'})`;
      return { 'main.py': `${PY_CHECKS}${call}\n`, 'solution.py': code, 'cases.json': JSON.stringify(check.cases) };
    }
  }
}

/** An oracle's name as a Python literal (None without one). */
function pyOracle(oracle: IoOracle | undefined): string {
  return oracle ? JSON.stringify(oracle) : 'None';
}

/** EvalPlus: the job that runs the reference solution on every input and prints its outputs. */
export function referenceJob(id: string, problem: Problem, limits: ProgramLimits): RunnerJob | undefined {
  const check = problem.check;
  if (check.kind !== 'io' || problem.canonical_solution === undefined) return undefined;
  const code = program(problem, problem.canonical_solution);
  const files = {
    'main.py': `${code}\n\n${PY_CHECKS}_fl_checks.reference_outputs(${check.entry_point}, 'inputs.json', ${pyOracle(check.oracle)})\n`,
    'inputs.json': JSON.stringify([...check.base_input, ...check.plus_input]),
  };
  // Outputs can be large: they come back whole on stdout.
  const cap = 256 * 1024 * 1024;
  return { id, ...pythonJob(files, { ...limits, timeoutS: Math.max(limits.timeoutS, 60) }), output_cap: cap, output_limit: cap };
}

/** The source test text of a test-program check (MultiPL-E's `tests`), or undefined. */
function testText(problem: Problem): string {
  return problem.check.kind === 'test-program' ? problem.check.test : '';
}

const LANGUAGE_JOBS: Record<string, (input: ProgramInput, limits: ProgramLimits) => Pick<RunnerJob, 'files' | 'steps'>> = {
  python: (input, limits) => {
    const timeLimits = inputTimeLimits(input.referenceTimes, limits);
    return pythonJob(pythonFiles(input, timeLimits), { ...limits, timeoutS: programTimeoutS(timeLimits, limits) });
  },
  javascript: (input, limits) => ({
    files: { 'main.js': `${sampleProgram(input)}\n${testText(input.problem)}\n` },
    steps: [{ argv: ['node', 'main.js'], timeout_s: limits.timeoutS, stage: 'run' }],
  }),
  typescript: (input, limits) => ({
    files: { 'main.ts': `${sampleProgram(input)}\n${testText(input.problem)}\n` },
    steps: [
      // Type errors fail the sample, as in MultiPL-E (tsc's exit code); the library's own .d.ts are not checked.
      { argv: ['tsc', '--target', 'es2022', '--module', 'commonjs', '--skipLibCheck', 'main.ts'], timeout_s: limits.compileTimeoutS, stage: 'compile' },
      { argv: ['node', 'main.js'], timeout_s: limits.timeoutS, stage: 'run' },
    ],
  }),
  go: (input, limits) => ({
    files: { 'go.mod': 'module sample\n\ngo 1.19\n', 'main_test.go': `${sampleProgram(input)}\n${testText(input.problem)}\n` },
    steps: [
      { argv: ['go', 'test', '-c', '-o', 'main.test', '.'], timeout_s: limits.compileTimeoutS, stage: 'compile' },
      { argv: ['./main.test'], timeout_s: limits.timeoutS, stage: 'run' },
    ],
  }),
};

export const SUPPORTED_LANGUAGES = Object.keys(LANGUAGE_JOBS);

/** The job of one sample, or undefined when its language has no runner here. */
export function sampleJob(input: ProgramInput, limits: ProgramLimits): RunnerJob | undefined {
  const make = LANGUAGE_JOBS[input.problem.language];
  if (!make) return undefined;
  const job = make(input, limits);
  return { id: input.id, ...job, output_cap: limits.outputCapBytes, output_limit: limits.outputLimitBytes };
}
