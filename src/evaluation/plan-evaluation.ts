import type { HarnessConfig } from '../config/harness-config.js';
import { SpecRegistry } from '../config/spec-registry.js';
import { errorCode, errorMessage, HarnessError, type InputProblem } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import { makeInstanceTestSpec } from '../images/prebuilt.js';
import type { ImageRecipe } from '../test-spec/test-spec.js';

/**
 * What an evaluation would do, worked out without Docker: for each instance the spec entry
 * chosen, the images it would build, and every problem that would stop it. A user sees in a
 * second whether a 2,294-instance run can start.
 */
export type PlanProblemKind =
  | 'unknown_repo'
  | 'unknown_version'
  | 'no_entry_for_source'
  | 'bad_spec'
  | 'unknown_parser'
  | 'no_prediction'
  | 'bad_record'
  | 'other';

export interface PlanProblem {
  kind: PlanProblemKind;
  code: string;
  message: string;
  file?: string;
  field?: string;
}

export interface PlannedImage {
  kind: 'base' | 'env' | 'repo' | 'instance';
  tag: string;
  /** The image it is built FROM: one of ours, the offline OS image, or a registry image to pull. */
  from: string;
}

export interface PlannedInstance {
  instance_id: string;
  repo: string;
  version: string;
  ready: boolean;
  spec_file?: string;
  /** The entry's index in the file's `specs` list, and the versions it names. */
  spec_entry?: { index: number; versions: string[]; version_range?: string; source: 'offline' | 'registry' | 'any' };
  images?: PlannedImage[];
  /** Images the base image starts FROM that come from a registry (registry source). */
  pulls?: string[];
  test_command?: string;
  log_parser?: string;
  problems: PlanProblem[];
}

export interface EvaluationPlan {
  image_source: 'offline' | 'registry';
  instances: PlannedInstance[];
  /** Distinct images across the plan, each once. */
  images: PlannedImage[];
  pulls: string[];
  summary: { total: number; ready: number; problems: number; by_kind: Partial<Record<PlanProblemKind, number>> };
}

function problemKind(err: unknown): PlanProblemKind {
  if (!(err instanceof HarnessError)) return 'other';
  if (err.code === 'SPEC_NOT_FOUND') {
    if (err.context.field === 'repo') return 'unknown_repo';
    if (err.context.field === 'source') return 'no_entry_for_source';
    return 'unknown_version';
  }
  if (err.code === 'SPEC_INVALID') return 'bad_spec';
  if (err.code === 'PARSER_UNKNOWN') return 'unknown_parser';
  return 'other';
}

function toProblem(err: unknown): PlanProblem {
  const ctx = err instanceof HarnessError ? err.context : {};
  // The file and field are fields of their own here; the message need not repeat them.
  const message = err instanceof HarnessError ? err.message : errorMessage(err);
  return { kind: problemKind(err), code: errorCode(err), message, file: ctx.file, field: ctx.field };
}

function parentName(recipe: ImageRecipe): string {
  if (recipe.parent.kind !== 'os') return recipe.parent.tag;
  // A registry base names its FROM image in the template; the build argument fills it in.
  return recipe.parent.tag === 'registry' ? registryFrom(recipe) : recipe.parent.tag;
}

/** The registry image a registry base template starts FROM, with its build arguments filled in. */
function registryFrom(recipe: ImageRecipe): string {
  const from = /^FROM\s+(\S+)/m.exec(recipe.dockerfile)?.[1] ?? 'registry';
  const defaults = Object.fromEntries([...recipe.dockerfile.matchAll(/^ARG\s+(\w+)(?:=(\S*))?/gm)].map((m) => [m[1], m[2] ?? '']));
  return from.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    return recipe.buildArgs[name] ?? defaults[name] ?? '';
  });
}

function planOne(instance: Instance, config: HarnessConfig, specs: SpecRegistry, hasPrediction: boolean): PlannedInstance {
  const planned: PlannedInstance = { instance_id: instance.instance_id, repo: instance.repo, version: instance.version, ready: false, problems: [] };
  if (!hasPrediction) planned.problems.push({ kind: 'no_prediction', code: 'PREDICTIONS_INVALID', message: 'no prediction for this instance: it would not be evaluated' });
  try {
    const resolved = specs.resolve(instance.repo, instance.version, instance.instance_id);
    const { env } = resolved;
    planned.spec_file = resolved.file;
    planned.spec_entry = { index: resolved.repo.specs.indexOf(env), versions: env.versions, version_range: env.version_range, source: env.source ?? 'any' };
    const spec = makeInstanceTestSpec(instance, resolved, config);
    const recipes = [spec.base, spec.envImage, spec.instanceImage].filter((r): r is ImageRecipe => r !== undefined);
    planned.images = recipes.map((r) => ({ kind: r.kind, tag: r.tag, from: parentName(r) }));
    // A published image is pulled; our base images pull their FROM image in registry mode.
    planned.pulls = spec.prebuiltImage ? [spec.prebuiltImage] : spec.base?.parent.tag === 'registry' ? [parentName(spec.base)] : [];
    planned.test_command = spec.testCommand;
    planned.log_parser = spec.logParser;
  } catch (err) {
    planned.problems.push(toProblem(err));
  }
  planned.ready = planned.problems.length === 0;
  return planned;
}

/**
 * Plans every instance; `predictionIds`, when given, marks instances with no prediction.
 * `rejected` are dataset records that did not validate: each counts as a `bad_record` problem.
 */
export function planEvaluation(opts: { config: HarnessConfig; instances: Instance[]; predictionIds?: Set<string>; rejected?: InputProblem[] }): EvaluationPlan {
  const specs = SpecRegistry.forConfig(opts.config);
  const instances = opts.instances.map((i) => planOne(i, opts.config, specs, opts.predictionIds?.has(i.instance_id) ?? true));
  for (const r of opts.rejected ?? []) {
    instances.push({
      instance_id: r.instanceId ?? `${r.file}${r.location ? `:${r.location}` : ''}`,
      repo: '',
      version: '',
      ready: false,
      problems: [{ kind: 'bad_record', code: 'DATASET_INVALID', message: r.message, file: r.file, field: r.field }],
    });
  }
  const images = new Map<string, PlannedImage>();
  for (const p of instances) for (const img of p.images ?? []) images.set(img.tag, img);
  const byKind: Partial<Record<PlanProblemKind, number>> = {};
  for (const p of instances) for (const problem of p.problems) byKind[problem.kind] = (byKind[problem.kind] ?? 0) + 1;
  const ready = instances.filter((p) => p.ready).length;
  return {
    image_source: opts.config.images.source,
    instances,
    images: [...images.values()],
    pulls: [...new Set(instances.flatMap((p) => p.pulls ?? []))].sort(),
    summary: { total: instances.length, ready, problems: instances.length - ready, by_kind: byKind },
  };
}
