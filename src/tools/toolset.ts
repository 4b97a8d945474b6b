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

/**
 * The agent's tools, in the order a model reads them: look around, change, check, finish.
 * `bash` can be turned off in config for agents that should work through the other tools only.
 */
export function makeToolset(opts: { bash: boolean }): ToolDefinition[] {
  return [
    listDirTool,
    readFileTool,
    searchTool,
    outlineTool,
    findSymbolTool,
    editTool,
    applyDiffTool,
    writeFileTool,
    runTestsTool,
    ...(opts.bash ? [bashTool] : []),
    submitTool,
  ];
}
