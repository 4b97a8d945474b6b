/**
 * The layers of DESIGN.md as data, read by test/unit/layers.test.ts, which fails when an
 * import goes against them. Top to bottom: a folder imports only folders of a lower rank.
 * Folders of one rank are siblings and do not import each other.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  /** Orchestration: evaluate batches, agent runs, resume, reporting hooks. */
  ['run'],
  /** The run's queue and ledger on Redis (BullMQ), for workers on several machines. */
  ['queue'],
  ['agent', 'mcp'],
  ['evaluation', 'tools', 'function-level', 'mining'],
  /** Sessions build their instance image first, so sandbox sits on images. */
  ['sandbox'],
  ['images'],
  /** The container backend interface and its registry by name. */
  ['runtime'],
  /** Backends: only runtime/ imports them (see BACKENDS). */
  ['docker'],
  // Leaves and near-leaves: pure data and pure functions.
  ['report', 'test-spec'],
  ['grading', 'security', 'config'],
  ['instance', 'model', 'patch', 'code-nav', 'repo'],
  ['util'],
  ['errors', 'layers'],
];

/**
 * Container backends implement runtime/'s interface: they may import its types (`import type`
 * only) and nothing else above them; only runtime/ (its registry) imports a backend.
 */
export const BACKENDS: Readonly<Record<string, string>> = { docker: 'runtime' };

/**
 * Each external library is owned by the folders listed ('*': anywhere). A library missing
 * here fails the check, so a new dependency gets a home when it is added.
 */
export const LIBRARIES: Readonly<Record<string, readonly string[]>> = {
  zod: ['*'],
  dockerode: ['docker'],
  'tar-stream': ['docker'],
  'simple-git': ['repo'],
  'web-tree-sitter': ['code-nav'],
  'tree-sitter-javascript': ['code-nav'],
  'tree-sitter-python': ['code-nav'],
  'tree-sitter-typescript': ['code-nav'],
  diff: ['patch'],
  hyparquet: ['instance'],
  yaml: ['config', 'instance'],
  bullmq: ['queue'],
  commander: ['cli'],
  '@commander-js/extra-typings': ['cli'],
  '@modelcontextprotocol/sdk': ['mcp'],
};
