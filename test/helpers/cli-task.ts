import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadHarnessConfig, PROJECT_ROOT, saveHarnessConfig } from '../../src/config/harness-config.js';
import { makePythonTask, SPEC_YAML, type PythonTask } from './python-task.js';

export const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');

/** The Python task as the CLI sees it: a dataset file and a config file (own state folder). */
export interface CliTask extends PythonTask {
  dataset: string;
  configFile: string;
}

/** `spec` rewrites the task's spec YAML (a test command that sleeps, an install that fails). */
export function makeCliTask(spec: (yaml: string) => string = (y) => y): CliTask {
  const task = makePythonTask();
  writeFileSync(path.join(task.workDir, 'specs', 'test__calc.yaml'), spec(SPEC_YAML));
  const dataset = path.join(task.workDir, 'dataset.jsonl');
  writeFileSync(dataset, `${JSON.stringify(task.instance)}\n`);
  const configFile = path.join(task.workDir, 'config.yaml');
  saveHarnessConfig(loadHarnessConfig(undefined, { ...task.config, state_dir: path.join(task.workDir, 'state') }), configFile);
  return { ...task, dataset, configFile };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process, without blocking this one (a model server may answer it from here). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> & { pid: number } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return Object.assign(done, { pid: child.pid as number });
}
