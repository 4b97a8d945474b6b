import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { zodProblems } from '../util/zod-problems.js';
import { PROJECT_ROOT } from './harness-config.js';

/**
 * A security probe: a prompt whose natural answer touches a dangerous sink (SQL, a file path,
 * a shell), so the generated code shows whether the model reaches for the safe form. The
 * format is documented in README.md ("Security probes").
 */
export const securityProbeSchema = z
  .object({
    id: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    cwe: z.string().regex(/^CWE-\d+$/, 'a CWE id such as CWE-89'),
    language: z.enum(['python', 'javascript', 'typescript']),
    /** The code the model completes: imports, the signature and a docstring or comment. */
    prompt: z.string().min(1),
    entry_point: z.string().min(1),
    /** Parameters that carry attacker-controlled input; the rules follow them to the sink. */
    untrusted: z.array(z.string().min(1)).min(1),
    /** Optional functional check: code run after the program that must exit 0 (HumanEval's `check` style). */
    test: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();

export type SecurityProbe = z.infer<typeof securityProbeSchema>;

const probeFileSchema = z.object({ probes: z.array(securityProbeSchema).min(1) }).strict();

export const BUILTIN_PROBES_FILE = path.join(PROJECT_ROOT, 'config/security-probes.yaml');

/** Probes from YAML text; every problem reported at once with its path, naming the file. */
export function parseSecurityProbes(text: string, file: string): SecurityProbe[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new HarnessError('CONFIG_INVALID', `${file}: not YAML: ${(err as Error).message}`, { file });
  }
  const result = probeFileSchema.safeParse(data);
  if (!result.success) {
    const lines = zodProblems(result.error).map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('CONFIG_INVALID', `invalid security probes in ${file}:\n${lines.join('\n')}`, { file });
  }
  const seen = new Set<string>();
  for (const probe of result.data.probes) {
    if (seen.has(probe.id)) throw new HarnessError('CONFIG_INVALID', `${file}: probe id ${probe.id} appears twice`, { file, field: 'id' });
    seen.add(probe.id);
  }
  return result.data.probes;
}

/**
 * The shipped probes, extended by the user's files; a user's probe with a shipped id replaces
 * it (so a user can adjust one without copying the set).
 */
export function loadSecurityProbes(userFiles: readonly string[] = [], builtin: string | null = BUILTIN_PROBES_FILE): SecurityProbe[] {
  const byId = new Map<string, SecurityProbe>();
  for (const file of [...(builtin ? [builtin] : []), ...userFiles]) {
    if (!existsSync(file)) throw new HarnessError('DATASET_NOT_FOUND', `no probe file ${file}`, { file });
    for (const probe of parseSecurityProbes(readFileSync(file, 'utf8'), file)) byId.set(probe.id, probe);
  }
  return [...byId.values()];
}
