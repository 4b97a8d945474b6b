import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { PROJECT_ROOT } from '../config/harness-config.js';
import { errorMessage } from '../errors.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { runTool, toolSpecs, type TaskInfo, type ToolDefinition } from '../tools/tool.js';

export const GET_PATCH = 'get_patch';

export interface McpServerOptions {
  /** Bytes of tool output a client sees, as in the agent loop (config.agent.output_cap_bytes). */
  outputCapBytes: number;
  /** Served as a resource when given, so a client can read the task it is working on. */
  problemStatement?: string;
}

function harnessVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function textResult(text: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}

/**
 * The tools as MCP lists them. The input schemas are `toolSpecs`' JSON Schemas, the very
 * ones the model providers get, so an MCP client and the built-in loop see the same tools.
 */
function listedTools(tools: ToolDefinition[]): Tool[] {
  const listed: Tool[] = toolSpecs(tools).map((spec) => ({
    name: spec.name,
    description: spec.description,
    inputSchema: { ...spec.parameters, type: 'object' },
  }));
  listed.push({
    name: GET_PATCH,
    description: 'The change made so far, as a unified diff against the base commit (untracked files included). Takes no arguments.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true },
  });
  return listed;
}

function problemUri(task: TaskInfo): string {
  return `swe-harness://task/${encodeURIComponent(task.instanceId)}/problem_statement`;
}

/**
 * An MCP server for one sandbox session: every ToolDefinition as an MCP tool, plus
 * `get_patch` and the problem statement as a resource. One Server talks to one transport,
 * so the HTTP transport makes one per client session.
 *
 * The low-level `Server` is used, not `McpServer.registerTool`, on purpose: McpServer
 * validates arguments itself before the handler runs, with its own messages, and would hand
 * runTool already-parsed values. Here the raw arguments go to `runTool`, so validation,
 * error wording and truncation are exactly those of the agent loop.
 */
export function createMcpServer(sandbox: Sandbox, task: TaskInfo, tools: ToolDefinition[], opts: McpServerOptions): Server {
  if (tools.some((t) => t.id === GET_PATCH)) throw new Error(`a tool may not be called ${GET_PATCH}: the MCP server provides it`);
  const server = new Server(
    { name: 'swe-harness', version: harnessVersion() },
    {
      capabilities: { tools: {}, ...(opts.problemStatement !== undefined ? { resources: {} } : {}) },
      instructions:
        `Tools for task ${task.instanceId}: they work on its repository at ${sandbox.workdir} in a sandbox. ` +
        `Call ${GET_PATCH} for the change so far.` +
        (opts.problemStatement !== undefined ? ` The problem statement is the resource ${problemUri(task)}.` : ''),
    },
  );
  const listed = listedTools(tools);
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    try {
      if (name === GET_PATCH) return textResult(await sandbox.diff());
      // MCP may leave out `arguments`; the agent loop's equivalent is an empty string, i.e. {}.
      const result = await runTool(tools, name, args ?? {}, { sandbox, task, signal: extra.signal, outputCapBytes: opts.outputCapBytes });
      return textResult(result.output, result.isError === true);
    } catch (err) {
      // runTool throws only for a cancelled call or a failed sandbox: the loop would end its
      // episode there, but an MCP client decides for itself, so it gets a readable tool error.
      return textResult(`${name} failed: ${errorMessage(err)}`, true);
    }
  });
  if (opts.problemStatement !== undefined) addProblemResource(server, task, opts.problemStatement);
  return server;
}

function addProblemResource(server: Server, task: TaskInfo, problemStatement: string): void {
  const uri = problemUri(task);
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [{ uri, name: 'problem_statement', title: `Problem statement of ${task.instanceId}`, mimeType: 'text/markdown' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    if (request.params.uri !== uri) throw new McpError(ErrorCode.InvalidParams, `no such resource ${request.params.uri}; there is ${uri}`);
    return { contents: [{ uri, mimeType: 'text/markdown', text: problemStatement }] };
  });
}
