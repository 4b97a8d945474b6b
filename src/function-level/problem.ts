/**
 * Function-level tasks (HumanEval, MBPP, EvalPlus, MultiPL-E, LiveCodeBench-style stdin/stdout):
 * the records every part shares. A loader turns each source format into a `Problem`; `generate`
 * writes `Sample`s; execution turns each sample into a `SampleResult`; scoring reads results.
 */

/** The languages samples are executed in; a loader may add more. */
export type ProblemLanguage = 'python' | 'javascript' | 'typescript' | 'go' | (string & {});

export type ProblemFormat = 'humaneval' | 'mbpp' | 'evalplus' | 'multipl-e' | 'livecodebench' | 'security-probe';

export interface Problem {
  task_id: string;
  language: ProblemLanguage;
  /** The text a model completes (HumanEval: signature and docstring). */
  prompt: string;
  /** The function the tests call, where the format names one. */
  entry_point?: string;
  /** A reference completion of `prompt`, where the format has one. */
  canonical_solution?: string;
  /** Generation stops at the first of these (MultiPL-E, HumanEval's usual set). */
  stop_tokens?: string[];
  /** ISO date the problem was published, for time splits against a model's cutoff. */
  release_date?: string;
  format: ProblemFormat;
  /** How a completion is checked: the program it becomes and what decides passed. */
  check: ProblemCheck;
}

/**
 * How the program to run is made: the prompt followed by the completion (HumanEval and most
 * formats, whose completion continues the prompt), or the completion alone (MBPP, stdin/stdout
 * problems, whose prompt is prose).
 */
export type ProgramShape = 'prompt+completion' | 'completion';

/** One stdin/stdout case, or one call's arguments as JSON lines (LiveCodeBench's functional tests). */
export interface IoCase {
  input: string;
  output: string;
}

/**
 * EvalPlus's special oracles (its eval/_special_oracle.py), for tasks where the reference's
 * output alone cannot judge: a root of the polynomial (HumanEval/32), any output (Mbpp/164),
 * the reference's or 0 (Mbpp/295), the reference's or a second reading of the task
 * (Mbpp/581, Mbpp/558), the same set of items, or only whether the output is None.
 */
export type IoOracle = 'polynomial-root' | 'any-output' | 'or-zero' | 'or-pyramid-surface' | 'or-digit-distance' | 'same-set' | 'not-none';

export type ProblemCheck =
  /** The program, then `test` (HumanEval: defines check), then `check(entry_point)` when `call` names it. */
  | { kind: 'test-program'; program: ProgramShape; test: string; call?: string }
  /** MBPP: setup code, then each assert; `challenge` asserts are MBPP's harder extra set. */
  | { kind: 'asserts'; program: ProgramShape; setup: string; asserts: string[]; challenge: string[] }
  /**
   * EvalPlus: the entry point called with each input; the expected outputs are the reference
   * solution's, computed in the sandbox. Floats compare with `atol` (EvalPlus's rule); a task
   * with an `oracle` is judged by EvalPlus's special rule for it.
   */
  | { kind: 'io'; program: ProgramShape; entry_point: string; base_input: unknown[][]; plus_input: unknown[][]; atol: number; oracle?: IoOracle }
  /** LiveCodeBench: stdin -> stdout cases, or calls of a method of `Solution` (fn_name). */
  | { kind: 'stdio'; program: ProgramShape; cases: IoCase[]; fn_name?: string };

/** One generated completion: HumanEval's `{task_id, completion}` plus our fields. */
export interface Sample {
  task_id: string;
  /** 0-based index among the samples of the task. */
  sample_index: number;
  completion: string;
  /**
   * EvalPlus's whole-solution form: the program itself (the prompt's code included), run in
   * place of prompt + completion. Empty `completion` when only this was given.
   */
  solution?: string;
  model?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  cost_usd?: number;
}

export type SampleOutcome = 'passed' | 'failed' | 'timeout' | 'error' | 'killed';

export interface SampleResult {
  task_id: string;
  sample_index: number;
  language: ProblemLanguage;
  outcome: SampleOutcome;
  /** failed: the assertion or the first differing case; error: the exception type and message; killed: why. */
  detail?: string;
  duration_s: number;
}

/** MBPP's challenge asserts run after its own (MBPP's harder extra tests); other problems as they are. */
export function withChallengeTests(problem: Problem): Problem {
  const check = problem.check;
  if (check.kind !== 'asserts' || check.challenge.length === 0) return problem;
  return { ...problem, check: { ...check, asserts: [...check.asserts, ...check.challenge], challenge: [] } };
}
