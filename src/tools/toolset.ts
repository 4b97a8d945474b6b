import { applyDiffTool } from './apply-diff.js';
import { bashTool } from './bash.js';
import { editTool } from './edit.js';
import { findSymbolTool } from './find-symbol.js';
import { listDirTool } from './list-dir.js';
import { outlineTool } from './outline.js';
import { readFileTool } from './read-file.js';
import { runTestsTool } from './run-tests.js';
import { searchTool } from './search.js';
import type { ToolDefinition } from './tool.js';
import { submitTool } from './submit.js';
import { writeFileTool } from './write-file.js';

/** Every tool, in the order a model reads them: look around, change, check, finish. */
const ALL_TOOLS: ToolDefinition[] = [
  listDirTool,
  readFileTool,
  searchTool,
  outlineTool,
  findSymbolTool,
  editTool,
  applyDiffTool,
  writeFileTool,
  runTestsTool,
  bashTool,
  submitTool,
] as ToolDefinition[];

/** The names an agent config may list under `tools:`. */
export const TOOL_NAMES: readonly string[] = ALL_TOOLS.map((t) => t.id);

/**
 * The agent's tools. `bash` can be turned off in config for agents that should work through
 * the other tools only.
 */
export function makeToolset(opts: { bash: boolean }): ToolDefinition[] {
  return ALL_TOOLS.filter((t) => opts.bash || t.id !== 'bash');
}

/** Per-tool settings of an agent config. */
export interface ToolOptions {
  output_cap_bytes?: number;
  timeout_seconds?: number;
}

/**
 * The tools an agent config names, in its order, with its options applied. A tool left out is
 * neither offered to the model nor runnable: runTool answers a call to it as an unknown tool.
 */
export function toolsFromConfig(tools: Record<string, ToolOptions>): ToolDefinition[] {
  return Object.entries(tools).map(([name, options]) => {
    const tool = ALL_TOOLS.find((t) => t.id === name);
    if (!tool) throw new Error(`unknown tool ${JSON.stringify(name)}`); // the config's validation names it first
    if (options.output_cap_bytes === undefined && options.timeout_seconds === undefined) return tool;
    const timeout = options.timeout_seconds;
    return {
      ...tool,
      outputCapBytes: options.output_cap_bytes ?? tool.outputCapBytes,
      execute: (args, ctx) => tool.execute(args, timeout === undefined ? ctx : { ...ctx, timeoutSeconds: timeout }),
    };
  });
}
