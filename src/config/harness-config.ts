import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { zodProblems } from '../util/zod-problems.js';

/** The project's own folder, where config/, images/ and instances/ ship. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..').replace(/\/dist$/, '');

/** When an episode ends; an agent config may override any of them. */
export const agentLimitsSchema = z
  .object({
    max_steps: z.number().int().positive(),
    max_cost_usd: z.number().positive(),
    max_tokens: z.number().int().positive(),
    max_wall_seconds: z.number().positive(),
    max_format_errors: z.number().int().positive(),
  })
  .strict();

export const harnessConfigSchema = z
  .object({
    images: z
      .object({
        source: z.enum(['offline', 'registry']),
        os_image: z.string().min(1),
        debian_suite: z.string().min(1),
        debian_mirror: z.string().min(1),
        log_dir: z.string().min(1),
        /** Shared repository layers (src/images/repo-layers.ts): floors every N first-parent commits, chains of D links. */
        repo_layers: z.object({ every: z.number().int().positive(), depth: z.number().int().positive().max(40) }).strict(),
        prebuilt: z
          .object({
            /** null: build every image here; a namespace: use published instance images. */
            namespace: z.string().min(1).nullable(),
            /** '' for Docker Hub, or a registry host (a mirror, ghcr.io, 127.0.0.1:5000). */
            registry: z.string(),
            /** The image name; {arch} and {id} are replaced (SWE-bench's own naming by default). */
            name: z.string().regex(/\{id\}/, 'must contain {id}'),
            tag: z.string().min(1),
            arch: z.enum(['x86_64', 'arm64']),
            pull_timeout: z.number().positive(),
            pull_attempts: z.number().int().positive(),
          })
          .strict(),
      })
      .strict(),
    /** The engine's address (DOCKER_HOST); null: DOCKER_HOST as the environment has it. */
    docker_host: z.string().min(1).nullable().default(null),
    spec_dirs: z.array(z.string()).min(1),
    repo_cache: z.string().min(1),
    /** Hugging Face datasets downloaded, per dataset, commit, config and split. */
    dataset_cache: z.string().min(1),
    repos: z.record(z.string(), z.string()),
    run: z.object({ root: z.string().min(1), concurrency: z.number().int().positive() }).strict(),
    state_dir: z.string().min(1),
    agent: z
      .object({
        network: z.boolean(),
        command_timeout: z.number().positive(),
        output_cap_bytes: z.number().int().positive(),
        bash: z.boolean(),
        limits: agentLimitsSchema,
      })
      .strict(),
    /** The security scan of patches at grading time; rules off by id (py-eval) or CWE (CWE-798). */
    security: z.object({ enabled: z.boolean(), disabled_rules: z.array(z.string()) }).strict(),
    /** Validated by the model registry's own schema when a model agent runs. */
    model: z.record(z.string(), z.unknown()).optional(),
    sandbox: z
      .object({
        memory_mb: z.number().int().positive(),
        cpus: z.number().positive(),
        pids: z.number().int().positive(),
        network: z.boolean(),
        nofile: z.number().int().positive(),
        /** Processes per user (RLIMIT_NPROC); absent: the engine's default (see README, Podman). */
        nproc: z.number().int().positive().optional(),
        file_size_mb: z.number().int().positive(),
        cap_drop: z.array(z.string()),
        no_new_privileges: z.boolean(),
        user: z.string(),
        output_cap_bytes: z.number().int().positive(),
      })
      .strict(),
    /** Function-level samples (HumanEval-style): per-sample limits inside the sandbox above. */
    function_level: z
      .object({
        timeout: z.number().positive(),
        compile_timeout: z.number().positive(),
        memory_mb: z.number().int().positive(),
        /** The in-memory folder the samples' files live in (part of memory_mb). */
        scratch_mb: z.number().int().positive(),
        slots: z.number().int().positive(),
        batch_size: z.number().int().positive(),
        output_cap_bytes: z.number().int().positive(),
        output_limit_bytes: z.number().int().positive(),
      })
      .strict()
      .refine((f) => f.scratch_mb < f.memory_mb, { message: 'must be less than memory_mb: the scratch folder is held in the memory of the container', path: ['scratch_mb'] }),
  })
  .strict();

/** The container limits the config asks for; `network` differs between grading and agents. */
export function containerLimits(config: HarnessConfig, network: boolean) {
  const s = config.sandbox;
  return { memoryMb: s.memory_mb, cpus: s.cpus, pids: s.pids, network, nofile: s.nofile, nproc: s.nproc, fileSizeMb: s.file_size_mb, capDrop: s.cap_drop, noNewPrivileges: s.no_new_privileges, user: s.user };
}

export type HarnessConfig = z.infer<typeof harnessConfigSchema>;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays and scalars from `over` replace those in `base`. */
export function mergeConfig(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlain(current) && isPlain(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

function readYamlObject(file: string): Plain {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError('CONFIG_INVALID', `cannot read config: ${(cause as Error).message}`, { file }, { cause });
  }
  if (parsed == null) return {};
  if (!isPlain(parsed)) throw new HarnessError('CONFIG_INVALID', 'expected a mapping at the top level', { file });
  return parsed;
}

/**
 * The default config, a user's file over it, then overrides (from flags) over both. Relative
 * paths in the defaults are the project's; relative paths in a user's file are the cwd's.
 */
export function loadHarnessConfig(userFileArg?: string, overrides: Plain = {}): HarnessConfig {
  // A program the harness started (the command agent) finds the run's config here.
  const userFile = userFileArg ?? process.env.SWE_HARNESS_CONFIG;
  const defaultsFile = path.join(PROJECT_ROOT, 'config/default.yaml');
  const defaults = readYamlObject(defaultsFile);
  (defaults as { spec_dirs: string[] }).spec_dirs = ((defaults.spec_dirs as string[]) ?? []).map((d) =>
    path.resolve(PROJECT_ROOT, d),
  );
  const merged = mergeConfig(mergeConfig(defaults, userFile ? readYamlObject(userFile) : {}), overrides);
  const result = harnessConfigSchema.safeParse(merged);
  if (!result.success) {
    const file = userFile ?? defaultsFile;
    const lines = zodProblems(result.error).map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('CONFIG_INVALID', `invalid config:\n${lines.join('\n')}`, { file });
  }
  return result.data;
}

/** Writes a config with every path made absolute, for a program started in another folder. */
export function saveHarnessConfig(config: HarnessConfig, file: string): void {
  const absolute: HarnessConfig = {
    ...config,
    images: { ...config.images, log_dir: path.resolve(config.images.log_dir) },
    spec_dirs: config.spec_dirs.map((d) => path.resolve(d)),
    repo_cache: path.resolve(config.repo_cache),
    dataset_cache: path.resolve(config.dataset_cache),
    run: { ...config.run, root: path.resolve(config.run.root) },
    state_dir: path.resolve(config.state_dir),
  };
  writeFileSync(file, stringifyYaml(absolute));
}
