import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { getLogParser } from '../grading/parsers/registry.js';
import { shellQuote } from '../util/shell.js';
import { resolveRepoPath } from './sandbox-path.js';
import { summarizeTestRun } from './test-summary.js';
import { defineTool } from './tool.js';

/** Long enough for a slow suite file; the agent's own bash timeout is much shorter. */
export const TEST_TIMEOUT_SECONDS = 900;
/** The parser needs the whole log, not the head and tail the model is shown. */
const LOG_CAP_BYTES = 16 * 1024 * 1024;

const parameters = z.object({
  files: z
    .array(z.string().min(1))
    .min(1)
    .max(100)
    .describe('Test files to run, relative to the repository root, e.g. ["tests/test_utils.py"]. A test id such as "tests/test_utils.py::test_name" works where the runner accepts one.'),
});

/**
 * A test file or test id as the runner gets it. Paths are checked (no absolute paths outside
 * the repository, no `..`), and options are refused: they belong in a bash command.
 */
export function testTarget(input: string, workdir: string): string {
  if (input.startsWith('-')) throw new HarnessError('TOOL_ARGS', `\`${input}\` looks like an option, not a test file; run the test command with bash to pass options`);
  const sep = input.indexOf('::');
  const file = sep < 0 ? input : input.slice(0, sep);
  const resolved = resolveRepoPath(file, workdir);
  if ('error' in resolved) throw new HarnessError('TOOL_ARGS', resolved.error);
  if (resolved.path === '.') throw new HarnessError('TOOL_ARGS', `\`${input}\` names the whole repository; name test files`);
  return sep < 0 ? resolved.path : resolved.path + input.slice(sep);
}

export const runTestsTool = defineTool({
  id: 'run_tests',
  description: [
    "Runs the given test files with the project's own test command and reports the outcome: how the run ended, counts per status (PASSED, FAILED, ERROR, SKIPPED, XFAIL), the failing and erroring tests by name, and the last 60 lines of output (tracebacks, the runner's summary).",
    'Use it to reproduce the bug with a test you wrote and to check your fix and the existing tests near your change. Name the files you want; it does not run the whole suite.',
    `Runs for at most ${TEST_TIMEOUT_SECONDS} s. To pass extra runner options or see the full output, use bash instead.`,
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const targets = args.files.map((f) => testTarget(f, ctx.sandbox.workdir));
    const parser = getLogParser(ctx.task.logParser);
    const command = ctx.task.testCommand.replaceAll('{tests}', targets.map(shellQuote).join(' '));
    const timeoutSeconds = ctx.timeoutSeconds ?? TEST_TIMEOUT_SECONDS;
    const result = await ctx.sandbox.exec(command, { timeoutSeconds, signal: ctx.signal, outputCapBytes: LOG_CAP_BYTES });
    const summary = summarizeTestRun({
      command,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      timeoutSeconds,
      statuses: parser.parse(result.output),
      log: result.output,
      parser: parser.name,
    });
    const note = ctx.task.testCommand.includes('{tests}') ? '' : '\n(note: the test command of this task takes no file list; it ran as it is)';
    return { output: summary + note };
  },
});
