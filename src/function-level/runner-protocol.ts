/**
 * What the host and the in-container runner (images/function-level/fl_runner.py) exchange:
 * one job per line in, one result per line out. Pure data.
 */

export type StepStage = 'compile' | 'run';

export interface RunnerStep {
  argv: string[];
  timeout_s: number;
  stage: StepStage;
}

export interface RunnerJob {
  id: string;
  /** Files written into the job's fresh work folder (relative paths). */
  files: Record<string, string>;
  /** Run in order; the first that does not exit 0 ends the job. */
  steps: RunnerStep[];
  stdin?: string;
  /** Bytes of stdout and of stderr kept (head and tail). */
  output_cap: number;
  /** Bytes of output after which the job is killed (an output flood). */
  output_limit: number;
  env?: Record<string, string>;
}

export interface RunnerStepResult {
  stage: StepStage;
  exit_code: number | null;
  signal: number | null;
  /** The runner ended it: its timeout, or too much output. */
  killed_by: 'timeout' | 'output-limit' | null;
}

/** What fl_python.py wrote on fd 3, when the line carried the runner's nonce. */
export interface PythonReport {
  ended: 'completed' | 'exception';
  type?: string;
  message?: string;
  lineno?: number;
  line?: string;
}

export interface RunnerResult {
  id: string;
  steps: RunnerStepResult[];
  stdout: string;
  stderr: string;
  output_bytes: number;
  report: PythonReport | null;
  /** OOM kills in the container while the job ran. */
  oom_kills: number;
  /** Kill rounds needed after the job: processes it left behind (0: none). */
  leftover_rounds: number;
  duration_s: number;
  /** The runner could not run the job at all (fork failed, the runner died). */
  runner_error?: string;
}
