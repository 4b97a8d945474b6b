import { z } from 'zod';
import type { ExecResult } from '../runtime/container-runtime.js';
import { defineTool } from './tool.js';

const MAX_TIMEOUT_SECONDS = 1800;

const parameters = z.object({
  command: z.string().min(1).describe('A bash command or script, run at the repository root.'),
  timeout_seconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).optional().describe('Kill the command after this many seconds. Default: the harness setting (a few minutes).'),
});

/** How the command ended, then its output (stdout and stderr together). */
export function formatExec(result: ExecResult): string {
  const seconds = Math.round(result.durationMs / 100) / 10;
  const ending = result.timedOut
    ? `TIMED OUT after ${seconds} s: the command was killed (the sandbox lives on). Output so far:`
    : result.exitCode === null
      ? 'killed: the run was cancelled'
      : `exit code ${result.exitCode}`;
  const output = result.output === '' ? '(no output)' : result.output.replace(/\n$/, '');
  return `${ending}\n${output}`;
}

export const bashTool = defineTool({
  id: 'bash',
  description: [
    'Runs a bash command in the sandbox at the repository root and returns its exit code and output (stdout and stderr together, long output cut in the middle).',
    'Each call is a fresh shell: `cd` and exported variables do not carry over, so chain commands with && in one call. stdin is empty, so interactive programs (editors, pagers, prompts) do not work; pass flags such as --no-pager or -y. Network access may be off.',
    'Use it to run scripts, inspect the environment, or run tests with options run_tests does not take. Prefer read_file, search and the edit tools for reading and changing files.',
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const result = await ctx.sandbox.exec(args.command, { timeoutSeconds: args.timeout_seconds ?? ctx.timeoutSeconds, signal: ctx.signal });
    return { output: formatExec(result) };
  },
});
