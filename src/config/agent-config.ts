import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { modelConfigSchema } from '../model/registry.js';
import { agentLimitsSchema, PROJECT_ROOT } from './harness-config.js';
import { parseTemplate } from './template.js';
import { zodProblems } from '../util/zod-problems.js';

/** Where the named agent configs ship: `--agent-config NAME` is config/agents/NAME.yaml. */
export const AGENT_CONFIG_DIR = path.join(PROJECT_ROOT, 'config/agents');

/**
 * The fields a prompt template may use. `hints_text` only with `include_hints: true`;
 * `repo_tree` is a listing of the repository in the sandbox, made at episode start.
 */
export const TEMPLATE_FIELDS = ['instance_id', 'repo', 'version', 'base_commit', 'problem_statement', 'hints_text', 'workdir', 'repo_tree'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Per-tool settings: the output the model sees, and for commands their default timeout. */
const toolOptionsSchema = z
  .object({
    output_cap_bytes: z.number().int().positive().optional(),
    timeout_seconds: z.number().positive().max(1800).optional(),
  })
  .strict();

export const agentConfigSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only').optional(),
    description: z.string().optional(),
    system_template: z.string().min(1),
    instance_template: z.string().min(1),
    /** Sent when an answer calls no tool. */
    no_tool_call_template: z.string().min(1).optional(),
    include_hints: z.boolean().default(false),
    repo_tree: z.object({ depth: z.number().int().min(1).max(6).default(2), max_entries: z.number().int().positive().default(400) }).strict().default({ depth: 2, max_entries: 400 }),
    /** The tools offered, in this order, by name; a value holds the tool's options (or nothing). */
    tools: z.record(z.string(), toolOptionsSchema.nullable().transform((v) => v ?? {})),
    /** Over the harness config's agent.limits; flags override both. */
    limits: agentLimitsSchema.partial().optional(),
    /** A model config (see src/model/README.md), over the harness config's `model:`; flags override both. */
    model: z.record(z.string(), z.unknown()).optional(),
    context: z
      .object({
        /** Share of the context window at which older observations are elided; absent: never. */
        elide_at: z.number().gt(0).lte(1).optional(),
        /** Observations kept in full when eliding: the last N. */
        keep_last: z.number().int().nonnegative().default(5),
        /** The model's context in tokens, over the model config and the price table. */
        context_window: z.number().int().positive().optional(),
      })
      .strict()
      .default({ keep_last: 5 }),
  })
  .strict();

export type AgentConfig = z.output<typeof agentConfigSchema>;

/** A loaded config with what names it: its name, its file, and the hash of its content. */
export interface LoadedAgentConfig {
  name: string;
  file: string;
  hash: string;
  config: AgentConfig;
}

/** `ref` is a file (a path, or a name ending in .yaml) or the name of a shipped config. */
export function agentConfigFile(ref: string): string {
  if (ref.includes('/') || /\.ya?ml$/.test(ref)) return path.resolve(ref);
  return path.join(AGENT_CONFIG_DIR, `${ref}.yaml`);
}

export function shippedAgentConfigs(): string[] {
  if (!existsSync(AGENT_CONFIG_DIR)) return [];
  return readdirSync(AGENT_CONFIG_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/**
 * Reads and validates an agent config. `toolNames` are the tools that exist (the agent layer
 * knows them). Every problem, from the schema, the tool names and the templates, is reported
 * at once with its path, before any episode starts.
 */
export function loadAgentConfig(ref: string, toolNames: readonly string[]): LoadedAgentConfig {
  const file = agentConfigFile(ref);
  if (!existsSync(file)) {
    const known = shippedAgentConfigs();
    throw new HarnessError('CONFIG_INVALID', `no agent config ${JSON.stringify(ref)}${known.length ? `; shipped: ${known.join(', ')}` : ''}`, { file });
  }
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError('CONFIG_INVALID', `cannot read agent config: ${(cause as Error).message}`, { file }, { cause });
  }
  const config = parseAgentConfig(data, file, toolNames);
  const name = config.name ?? path.basename(file).replace(/\.ya?ml$/, '');
  return { name, file, hash: agentConfigHash(config), config };
}

export function parseAgentConfig(data: unknown, file: string, toolNames: readonly string[]): AgentConfig {
  const result = agentConfigSchema.safeParse(data);
  // Names and templates are checked on the data as written, so their problems come with the schema's.
  const problems = [...(result.success ? [] : zodProblems(result.error)), ...semanticProblems(data, toolNames)];
  if (!result.success || problems.length > 0) {
    const lines = problems.map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('CONFIG_INVALID', `invalid agent config:\n${lines.join('\n')}`, { file });
  }
  return result.data;
}

type Problem = { field: string; message: string };

function semanticProblems(data: unknown, toolNames: readonly string[]): Problem[] {
  if (!isPlain(data)) return [];
  const problems: Problem[] = [];
  if (isPlain(data.tools)) {
    const names = Object.keys(data.tools);
    for (const name of names) {
      if (!toolNames.includes(name)) problems.push({ field: `tools.${name}`, message: `unknown tool; known: ${toolNames.join(', ')}` });
    }
    if (!names.includes('submit')) problems.push({ field: 'tools', message: 'submit is missing: without it an episode can never finish' });
  }
  if (isPlain(data.model)) {
    // Checked as a model config, but kept as written so its absent keys take the harness's values.
    const model = modelConfigSchema.partial().safeParse(data.model);
    if (!model.success) problems.push(...zodProblems(model.error).map((p) => ({ field: `model.${p.field}`, message: p.message })));
  }
  const fields = TEMPLATE_FIELDS.filter((f) => f !== 'hints_text' || data.include_hints === true);
  const templates: Array<[string, readonly string[]]> = [
    ['system_template', fields],
    ['instance_template', fields],
    ['no_tool_call_template', []],
  ];
  for (const [field, allowed] of templates) {
    const source = data[field];
    if (typeof source !== 'string') continue;
    for (const message of parseTemplate(source, allowed).problems) {
      const hint = message.includes('{{hints_text}}') ? ' (hints_text needs include_hints: true)' : '';
      problems.push({ field, message: message + hint });
    }
  }
  return problems;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, stable hash of the config's content (keys sorted), so equal configs hash alike. */
export function agentConfigHash(config: AgentConfig): string {
  // Tool order is meaningful (the order the model reads them), so tools hash as a list.
  return createHash('sha256').update(canonicalJson({ ...config, tools: Object.entries(config.tools) })).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
