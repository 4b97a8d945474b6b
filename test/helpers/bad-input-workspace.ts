import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import type { InstanceResult } from '../../src/report/instance-result.js';
import type { RunSummary } from '../../src/report/summary.js';
import type { GitFixture } from './git-fixture.js';
import { makePythonTask, SPEC_YAML, type PythonTask } from './python-task.js';

/**
 * One real Python repo (see python-task.ts) and a user config file pointing the CLI's spec
 * dirs, repo cache, run root and build logs at a temp dir, so the bad-input suite can drive
 * the real `swe-harness evaluate` on datasets and predictions it writes itself.
 */
export interface BadInputWorkspace {
  task: PythonTask;
  dir: string;
  configFile: string;
  specDir: string;
  /** The good instance with other fields: a new id, another repo name, a broken field. */
  instance(overrides: Record<string, unknown>): Record<string, unknown>;
  /** A spec file for repo `test/<name>` (test__<name>.yaml) with this text. */
  writeSpec(name: string, text: string): string;
  /** A file in this workspace: text as given, or a list written one item a line (objects as JSON, strings raw: JSONL with bad lines). */
  write(name: string, content: string | unknown[]): string;
  /** The real CLI with this workspace's --config. */
  cli(args: string[]): Promise<CliRun>;
  report(runId: string, model: string, id: string): InstanceResult | undefined;
  summary(runId: string, model: string): RunSummary;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages that may land on either. */
  output: string;
}

export const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');

export function makeBadInputWorkspace(): BadInputWorkspace {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const task = makePythonTask();
  const dir = task.workDir;
  const specDir = task.config.spec_dirs[0]!;
  const configFile = path.join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    [
      `spec_dirs: [${JSON.stringify(specDir)}]`,
      `repo_cache: ${JSON.stringify(path.join(dir, 'repos'))}`,
      `run: {root: ${JSON.stringify(path.join(dir, 'runs'))}}`,
      `images: {log_dir: ${JSON.stringify(path.join(dir, 'build-logs'))}}`,
      '',
    ].join('\n'),
  );
  const runs = path.join(dir, 'runs');
  return {
    task,
    dir,
    configFile,
    specDir,
    instance: (overrides) => ({ ...task.instance, ...overrides }),
    writeSpec(name, text) {
      const file = path.join(specDir, `test__${name}.yaml`);
      writeFileSync(file, text);
      return file;
    },
    write(name, content) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      const text = typeof content === 'string' ? content : content.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join('\n') + '\n';
      writeFileSync(file, text);
      return file;
    },
    cli: (args) => runCli([...args, '--config', configFile]),
    report(runId, model, id) {
      const file = path.join(runs, runId, model, id, 'report.json');
      if (!existsSync(file)) return undefined;
      return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, InstanceResult>)[id];
    },
    summary: (runId, model) => JSON.parse(readFileSync(path.join(runs, runId, `${model}.${runId}.json`), 'utf8')) as RunSummary,
  };
}

/** The real CLI as a child process; resolves with its exit code and output, never rejects on a non-zero exit. */
export function runCli(args: string[], cwd = PROJECT_ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}

/** A spec for another repo name (`test/<name>`) built like the good one, so its images are shared. */
export function specFor(name: string, edit: (yaml: string) => string = (y) => y): string {
  return edit(SPEC_YAML.replace('repo: test/calc', `repo: test/${name}`));
}

/**
 * `git diff --cached --binary` of `files` written over `base` in a throwaway worktree; with
 * `preimage`, those files are committed there first (on a detached, unreferenced commit), so
 * the patch modifies files the base does not have.
 */
export function binaryPatchAgainst(repo: GitFixture, base: string, files: Record<string, string | Buffer>, preimage: Record<string, string | Buffer> = {}): string {
  const tree = mkdtempSync(path.join(os.tmpdir(), 'worktree-'));
  repo.git('worktree', 'add', '--quiet', '--detach', tree, base);
  const git = (...args: string[]) => repo.git('-C', tree, ...args);
  const put = (entries: Record<string, string | Buffer>) => {
    for (const [name, content] of Object.entries(entries)) {
      mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
      writeFileSync(path.join(tree, name), content);
    }
  };
  try {
    if (Object.keys(preimage).length > 0) {
      put(preimage);
      git('add', '-A');
      git('commit', '--quiet', '-m', 'preimage');
    }
    put(files);
    git('add', '-A');
    // Untrimmed: a binary hunk ends with a blank line that git apply wants to see.
    return execFileSync('git', ['diff', '--cached', '--binary'], { cwd: tree, encoding: 'utf8' });
  } finally {
    repo.git('worktree', 'remove', '--force', tree);
  }
}

/** A commit on its own branch where calc.py has CRLF line endings (Windows checkouts); back on main after. */
export function crlfCommit(repo: GitFixture, base: string, calcSource: string): string {
  repo.git('checkout', '--quiet', '-b', 'crlf', base);
  try {
    return repo.commit('calc.py with CRLF', { 'calc.py': calcSource.replace(/\n/g, '\r\n') });
  } finally {
    repo.git('checkout', '--quiet', 'main');
  }
}
