import { z } from 'zod';
import { repoName } from '../instance/instance-schema.js';

/**
 * A repo spec: how to build, install and test one repository, keyed by the instances'
 * `version`. One YAML file per repository under config/specs/ (or a user's spec dir).
 */
const stringList = z.array(z.string()).default([]);

/** Names are written unquoted into eval.sh (`export NAME=...`) and the Dockerfile (`ENV NAME=...`). */
const envVariables = z
  .record(z.string(), z.string())
  .superRefine((env, ctx) => {
    for (const name of Object.keys(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${JSON.stringify(name.slice(0, 60))} is not a variable name (letters, digits, _)` });
      }
    }
  })
  .default({});

export const envSpecSchema = z
  .object({
    /** Versions this entry covers: exact strings ("7.0"), and/or a range (">=7.0 <8.1"). */
    versions: z.array(z.string()).default([]),
    version_range: z.string().optional(),
    /**
     * Which image source this entry is for: `offline` (Debian's packages on the debootstrap OS
     * image) or `registry` (the official language images and PyPI/npm). Left out: both. A repo
     * can hold both variants of a version; the one for config `images.source` is chosen.
     */
    source: z.enum(['offline', 'registry']).optional(),
    /** Base image template: images/base/<base>.Dockerfile (or <base>.registry.Dockerfile). */
    base: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a template name: lower-case letters, digits, _ . - (it names a file and an image tag)'),
    /** The language version the base image provides; a registry template uses it as a tag. */
    language_version: z
      .string()
      .regex(/^[\w][\w.-]{0,63}$/, 'letters, digits, _ . - (it becomes part of an image tag)')
      .optional(),
    /** Debian packages installed in the env image. */
    system_packages: stringList,
    /** Packages for the language's installer (pip, npm, go) in the env image; needs a registry. */
    language_packages: stringList,
    /** Extra shell steps in the env image, after the packages. */
    env_setup: stringList,
    /**
     * Requirement files in the repository (as SWE-bench's `packages: requirements.txt`): the
     * first one that exists at base_commit is pip-installed in the instance image, before
     * pre_install. Needs a package index, so registry entries only.
     */
    requirements: stringList,
    /** Shell steps in the instance image, in /testbed, before install. */
    pre_install: stringList,
    /** Shell steps in the instance image, in /testbed, that install the repository. */
    install: stringList,
    /** Shell steps run before the tests at evaluation time (after the patches). */
    eval_commands: stringList,
    /**
     * More globs of files the model's patch may not change (restored to base_commit, removed
     * when new, before the tests run), added to the language's own (src/test-spec/runner-guard.ts):
     * a repository's runner script, for example.
     */
    protected_files: z.array(z.string()).optional(),
    /** The test command; `{tests}` becomes the test files the test patch touches. */
    test_cmd: z.string().min(1),
    /**
     * How the test files become `{tests}`: `files` (paths, as pytest takes them) or `modules`
     * (dotted module names without `.py`, after removing `strip_prefix`: Django's runtests.py
     * takes `tests/admin_views/tests.py` as `admin_views.tests`).
     */
    test_directives: z
      .object({ format: z.enum(['files', 'modules']).default('files'), strip_prefix: z.string().optional() })
      .strict()
      .prefault({}),
    /** A registered log parser's name (pytest, unittest, django, sympy, node-tap, ...). */
    log_parser: z.string().min(1),
    /** Security rules (ids or CWEs) this repository turns off, on top of the config's. */
    security_disabled_rules: z.array(z.string()).optional(),
    /** Environment variables set in the images and at evaluation. */
    env: envVariables,
    timeouts: z
      .object({
        /** Seconds the tests may run before the container is killed. */
        test: z.number().positive().default(1800),
        /** Seconds an image build may take. */
        build: z.number().positive().default(3600),
      })
      .prefault({}),
  })
  .strict()
  .refine((s) => s.versions.length > 0 || s.version_range !== undefined, {
    message: 'give versions, version_range or both',
    path: ['versions'],
  });

export const repoSpecSchema = z
  .object({
    /** owner/name, as in the instances' `repo` field. */
    repo: repoName,
    /** Where the repository's source is when no --repo-cache or config entry says otherwise. */
    source: z.string().optional(),
    specs: z.array(envSpecSchema).min(1),
    /**
     * How `tasks mine` splits a commit into code and tests: the test files' globs, in place of
     * the language's conventions (src/mining/test-files.ts).
     */
    mining: z
      .object({ language: z.enum(['python', 'javascript', 'go', 'rust', 'java']).optional(), test_globs: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type EnvSpec = z.infer<typeof envSpecSchema>;
export type RepoSpec = z.infer<typeof repoSpecSchema>;
