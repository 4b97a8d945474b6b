import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { PROJECT_ROOT } from '../config/harness-config.js';
import type { EnvSpec } from '../config/spec-schema.js';
import type { ResolvedSpec } from '../config/spec-registry.js';
import { HarnessError } from '../errors.js';
import { getLogParser } from '../grading/parsers/registry.js';
import type { Instance } from '../instance/instance-schema.js';
import { contentHash } from '../util/hash.js';
import { shellQuote } from '../util/shell.js';
import { TESTBED } from '../grading/eval-markers.js';
import type { LayerPlan } from '../repo/history-layers.js';
import { makeEvalScript } from './eval-script.js';
import { advanceTo } from './repo-layer.js';
import { formatDirectives, testDirectives } from './patch-files.js';
import { runnerGuard, type RunnerGuard } from './runner-guard.js';

/** One image to build: its Dockerfile, build args, and the tag that is its content hash. */
export interface ImageRecipe {
  kind: 'base' | 'env' | 'repo' | 'instance';
  tag: string;
  hash: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  /** The image this one is built FROM (a recipe of ours, or an outside image). */
  parent: ImageRecipe | { kind: 'os' | 'prebuilt'; tag: string };
}

/** Everything needed to build, run and grade one instance: pure data from instance + spec. */
export interface TestSpec {
  instanceId: string;
  repo: string;
  version: string;
  baseCommit: string;
  specFile: string;
  env: EnvSpec;
  /** Our base and env layers; absent when the instance image derives from a published one. */
  base?: ImageRecipe;
  envImage?: ImageRecipe;
  instanceImage: ImageRecipe;
  /** A published instance image (registry/namespace/name:tag) the instance image is made from. */
  prebuiltImage?: string;
  testFiles: string[];
  failToPass: string[];
  passToPass: string[];
  testCommand: string;
  evalScript: string;
  logParser: string;
  testTimeoutSeconds: number;
  /** What a model patch may not change: restored, or the patch refused (runner-guard.ts). */
  guard: RunnerGuard;
  /** Hash of everything in the spec that changes a verdict (images, eval script, parser). */
  specHash: string;
}

function baseRecipe(env: EnvSpec, config: HarnessConfig, specFile: string): ImageRecipe {
  const registry = config.images.source === 'registry';
  const template = path.join(PROJECT_ROOT, 'images/base', `${env.base}${registry ? '.registry' : ''}.Dockerfile`);
  if (!existsSync(template)) {
    throw new HarnessError('SPEC_INVALID', `no base image template ${template}`, { file: specFile, field: 'base' });
  }
  const dockerfile = readFileSync(template, 'utf8');
  const buildArgs: Record<string, string> = registry ? {} : { OS_IMAGE: config.images.os_image };
  if (env.language_version) buildArgs.LANGUAGE_VERSION = env.language_version;
  const parent = { kind: 'os' as const, tag: registry ? 'registry' : config.images.os_image };
  const hash = contentHash({ dockerfile, buildArgs, parent: parent.tag });
  return { kind: 'base', tag: `swe-harness/base:${env.base}-${hash}`, hash, dockerfile, buildArgs, parent };
}

const LANGUAGE_INSTALLERS: Record<string, (pkgs: string) => string> = {
  python: (pkgs) => `python3 -m pip install --no-cache-dir ${pkgs}`,
  node: (pkgs) => `npm install -g ${pkgs}`,
  go: (pkgs) => `for p in ${pkgs}; do go install "$p"; done`,
};

function runSteps(steps: string[]): string[] {
  return steps.map((step) => `RUN ${step.includes('\n') ? `bash -euo pipefail -c ${shellQuote(step)}` : step}`);
}

/**
 * Consecutive one-line steps in one RUN, each its own `bash -c` as its own RUN would run it
 * (a step may end in a comment, or `exit`): every RUN is a container start and a commit,
 * seconds on a loaded machine.
 */
function runTogether(steps: string[]): string[] {
  const lines: string[] = [];
  let group: string[] = [];
  const flush = () => {
    if (group.length > 0) lines.push(`RUN ${group.map((step) => `bash -c ${shellQuote(step)}`).join(' && ')}`);
    group = [];
  };
  for (const step of steps) {
    if (!step.includes('\n')) group.push(step);
    else {
      flush();
      lines.push(...runSteps([step]));
    }
  }
  flush();
  return lines;
}

function envLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `ENV ${k}=${JSON.stringify(v)}`);
}

function envRecipe(env: EnvSpec, base: ImageRecipe, specFile: string): ImageRecipe {
  const lines = [`FROM ${base.tag}`, 'SHELL ["/bin/bash", "-c"]', ...envLines(env.env)];
  if (env.system_packages.length > 0) {
    lines.push(
      'RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ' +
        `${env.system_packages.map(shellQuote).join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  }
  if (env.language_packages.length > 0) {
    const installer = LANGUAGE_INSTALLERS[env.base];
    if (!installer) {
      throw new HarnessError('SPEC_INVALID', `language_packages has no installer for base ${env.base}`, { file: specFile, field: 'language_packages' });
    }
    lines.push(`RUN ${installer(env.language_packages.map(shellQuote).join(' '))}`);
  }
  lines.push(...runSteps(env.env_setup), 'RUN git config --global user.email harness@swe-harness.local && git config --global user.name swe-harness');
  const dockerfile = `${lines.join('\n')}\n`;
  const hash = contentHash({ dockerfile, parent: base.hash });
  return { kind: 'env', tag: `swe-harness/env:${env.base}-${hash}`, hash, dockerfile, buildArgs: {}, parent: base };
}

/** Lower-case and Docker-safe, as tags allow. */
function tagSafe(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_.-]/g, '-').slice(0, 100);
}

/** SWE-bench's `packages: requirements.txt`: the first of the spec's files the repo has. */
function requirementsStep(files: string[]): string[] {
  if (files.length === 0) return [];
  const list = files.map(shellQuote).join(' ');
  return [`for f in ${list}; do if [ -f "$f" ]; then python3 -m pip install --no-cache-dir -r "$f"; break; fi; done`];
}

/** The build arg naming the shared repository layer an instance image starts from. */
export const REPO_LAYER_ARG = 'REPO_LAYER';

/**
 * FROM the repository's shared layer at the instance's floor (src/images/repo-layers.ts),
 * adding only the objects and files from there to base_commit. The layer is named at build
 * time, but it is a function of base_commit and the layer plan, so the hash holds both.
 */
function instanceRecipe(instance: Instance, env: EnvSpec, envImage: ImageRecipe, layers: LayerPlan): ImageRecipe {
  const advance = advanceTo(instance.base_commit);
  const lines = [
    `ARG ${REPO_LAYER_ARG}`,
    // The layer holds /testbed as WORKDIR and the env image's bash SHELL.
    `FROM \${${REPO_LAYER_ARG}}`,
    advance.copy,
    ...runTogether([
      advance.command,
      ...requirementsStep(env.requirements),
      ...env.pre_install,
      ...env.install,
      // Files the install made (egg-info, build output) are not the agent's change: ignore them.
      "git status --porcelain --untracked-files=all | sed -n 's/^?? //p' >> .git/info/exclude; git status --short | head -5",
    ]),
  ];
  const dockerfile = `${lines.join('\n')}\n`;
  const hash = contentHash({ dockerfile, parent: envImage.hash, repo: instance.repo, commit: instance.base_commit, layers });
  const tag = `swe-harness/instance:${tagSafe(instance.instance_id)}-${hash.slice(0, 12)}`;
  return { kind: 'instance', tag, hash, dockerfile, buildArgs: {}, parent: envImage };
}

/** How SWE-bench's instance images expect commands to run: its conda env `testbed`. */
export const PREBUILT_ACTIVATION = ['source /opt/miniconda3/bin/activate', 'conda activate testbed'];

/**
 * The repository of a published image was cloned whole and reset to base_commit; older images
 * keep the remote's branches and tags, so the fix is one `git log --all` away. We strip it,
 * not refuse the image: delete every ref and remote, expire the reflog, prune unreachable
 * objects, then check that every commit left is an ancestor of HEAD. An image whose HEAD is
 * not base_commit is refused (its tree is not the task's).
 */
export function stripHistoryScript(baseCommit: string): string {
  return [
    'set -euo pipefail',
    `cd ${TESTBED} 2>/dev/null || { echo "REFUSED: the image has no ${TESTBED}"; exit 1; }`,
    'head=$(git rev-parse HEAD 2>/dev/null) || { echo "REFUSED: no git repository at /testbed"; exit 1; }',
    `case "$head" in ${baseCommit}*) ;; *) echo "REFUSED: /testbed is at $head, not base_commit ${baseCommit}"; exit 1;; esac`,
    'git checkout -q --detach',
    'git for-each-ref --format="%(refname)" | while read -r ref; do git update-ref -d "$ref"; done',
    'for r in $(git remote); do git remote remove "$r"; done',
    'git checkout -q -b main',
    'rm -f .git/FETCH_HEAD .git/ORIG_HEAD .git/shallow.lock; git stash clear',
    'git reflog expire --expire=now --all && git gc -q --prune=now',
    'all=$(git rev-list --all --reflog | wc -l); mine=$(git rev-list HEAD | wc -l)',
    '[ "$all" = "$mine" ] || { echo "REFUSED: $((all - mine)) commit(s) not behind base_commit remain after stripping"; exit 1; }',
    'echo "history after base_commit: none ($mine commits up to it)"',
  ].join('; '); // one line: a Dockerfile RUN cannot hold a newline
}

function prebuiltInstanceRecipe(instance: Instance, prebuilt: string): ImageRecipe {
  const lines = [
    `FROM ${prebuilt}`,
    'SHELL ["/bin/bash", "-c"]',
    `WORKDIR ${TESTBED}`,
    ...runSteps([stripHistoryScript(instance.base_commit)]),
    'RUN git config --global user.email harness@swe-harness.local && git config --global user.name swe-harness',
    "RUN git status --porcelain --untracked-files=all | sed -n 's/^?? //p' >> .git/info/exclude; git status --short | head -5",
  ];
  const dockerfile = `${lines.join('\n')}\n`;
  const hash = contentHash({ dockerfile, prebuilt, repo: instance.repo, commit: instance.base_commit });
  const tag = `swe-harness/instance:${tagSafe(instance.instance_id)}-${hash.slice(0, 12)}`;
  return { kind: 'instance', tag, hash, dockerfile, buildArgs: {}, parent: { kind: 'prebuilt', tag: prebuilt } };
}

/** An unknown parser is the spec's mistake: say so before any image is built. */
function checkLogParser(name: string, file: string, instanceId: string): void {
  try {
    getLogParser(name);
  } catch (err) {
    throw new HarnessError('PARSER_UNKNOWN', `${(err as Error).message}; fix log_parser in the spec`, { instanceId, file, field: 'log_parser' }, { cause: err });
  }
}

/**
 * `prebuiltImage`: a published image (SWE-bench's layout) to make the instance image from
 * instead of our three layers; src/images chooses it. Its tests run in its conda environment.
 */
export function makeTestSpec(instance: Instance, resolved: ResolvedSpec, config: HarnessConfig, prebuiltImage?: string): TestSpec {
  const { env, file } = resolved;
  checkLogParser(env.log_parser, file, instance.instance_id);
  const base = prebuiltImage ? undefined : baseRecipe(env, config, file);
  const envImage = base ? envRecipe(env, base, file) : undefined;
  const instanceImage = envImage ? instanceRecipe(instance, env, envImage, config.images.repo_layers) : prebuiltInstanceRecipe(instance, prebuiltImage as string);
  const testFiles = testDirectives(instance.test_patch);
  // A test file named like an option (-x.py) would be read as one by the runner.
  const testCommand = env.test_cmd.replaceAll('{tests}', formatDirectives(testFiles, env.test_directives).map((f) => shellQuote(f.startsWith('-') ? `./${f}` : f)).join(' '));
  const guard = runnerGuard(env.base, env.log_parser, testFiles, env.protected_files);
  // The activation runs before the interpreter check, which must use the image's own Python.
  const evalEnv = prebuiltImage ? { ...env, eval_commands: [...PREBUILT_ACTIVATION, ...env.eval_commands] } : env;
  const evalScript = makeEvalScript({
    baseCommit: instance.base_commit,
    testPatch: instance.test_patch,
    env: evalEnv,
    testCommand,
    protectedFiles: guard.protect,
    pythonShadowCheck: guard.pythonShadowCheck,
  });
  return {
    instanceId: instance.instance_id,
    repo: instance.repo,
    version: instance.version,
    baseCommit: instance.base_commit,
    specFile: file,
    env,
    base,
    envImage,
    instanceImage,
    prebuiltImage,
    testFiles,
    failToPass: instance.FAIL_TO_PASS,
    passToPass: instance.PASS_TO_PASS,
    testCommand,
    evalScript,
    logParser: env.log_parser,
    testTimeoutSeconds: env.timeouts.test,
    guard,
    specHash: contentHash({
      image: instanceImage.hash,
      evalScript,
      parser: env.log_parser,
      timeout: env.timeouts.test,
      tests: [instance.FAIL_TO_PASS, instance.PASS_TO_PASS],
    }),
  };
}
