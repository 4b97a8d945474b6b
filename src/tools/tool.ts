import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { keepHeadAndTail } from '../util/head-tail.js';
import type { ToolSpec } from '../model/types.js';
import type { Sandbox, TaskInfo } from '../sandbox/sandbox.js';

export type { TaskInfo } from '../sandbox/sandbox.js';

export interface ToolContext {
  sandbox: Sandbox;
  task: TaskInfo;
  signal: AbortSignal;
  /** Bytes of tool output the model sees (head and tail kept). */
  outputCapBytes: number;
  /** Default seconds before a command is killed, when the call gives none (agent config). */
  timeoutSeconds?: number;
}

export interface ToolResult {
  output: string;
  /** The tool failed in a way the model should read and act on (bad arguments, no such file). */
  isError?: boolean;
  /** The agent declared it is done (the submit tool). */
  submitted?: boolean;
}

/** One tool, defined in one place: id, description, zod parameters, execute. */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject> {
  id: string;
  description: string;
  parameters: P;
  /** This tool's output cap, over the context's (an agent config's per-tool option). */
  outputCapBytes?: number;
  execute(args: z.infer<P>, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<P extends z.ZodObject>(tool: ToolDefinition<P>): ToolDefinition<P> {
  return tool;
}

/** Tools as the model providers describe them (JSON Schema parameters). */
export function toolSpecs(tools: ToolDefinition[]): ToolSpec[] {
  return tools.map((t) => {
    const { $schema: _schema, ...parameters } = z.toJSONSchema(t.parameters) as Record<string, unknown>;
    return { name: t.id, description: t.description, parameters };
  });
}

/** Keeps the head and the tail of a tool's output, saying how much was cut and what to do. */
export function truncateOutput(text: string, capBytes: number): string {
  return keepHeadAndTail(text, capBytes, (n) => `[... ${n} bytes cut; narrow the command or read a line range ...]`);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `- ${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`).join('\n');
}

/**
 * The one entry for calling a tool: unknown names, unparsable JSON and invalid arguments
 * come back as errors the model can read and act on; output is truncated here, not in
 * each tool; a tool that throws is reported, never crashes the loop.
 */
export async function runTool(tools: ToolDefinition[], name: string, rawArgs: string | unknown, ctx: ToolContext): Promise<ToolResult> {
  const tool = tools.find((t) => t.id === name);
  if (!tool) return { isError: true, output: `unknown tool ${JSON.stringify(name)}; available: ${tools.map((t) => t.id).join(', ')}` };
  let args: unknown = rawArgs;
  if (typeof rawArgs === 'string') {
    try {
      args = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
    } catch (err) {
      return { isError: true, output: `the arguments of ${name} are not valid JSON (${(err as Error).message}); send a JSON object` };
    }
  }
  const parsed = tool.parameters.safeParse(args);
  if (!parsed.success) return { isError: true, output: `invalid arguments for ${name}:\n${describeIssues(parsed.error)}` };
  try {
    const result = await tool.execute(parsed.data, ctx);
    return { ...result, output: truncateOutput(result.output, tool.outputCapBytes ?? ctx.outputCapBytes) };
  } catch (err) {
    // A dead sandbox or a cancelled run ends the episode; anything else is the model's to read.
    if (ctx.signal.aborted || (err instanceof HarnessError && (err.code === 'SANDBOX' || err.code === 'SESSION_GONE'))) throw err;
    return { isError: true, output: `${name} failed: ${(err as Error).message}` };
  }
}
