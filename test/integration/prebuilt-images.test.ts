import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeConfig, PROJECT_ROOT, harnessConfigSchema, type HarnessConfig } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { containerRuntime } from '../../src/runtime/registry.js';
import { pushImage } from '../../src/docker/pull-image.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { makeImageBuilder } from '../../src/images/instance-images.js';
import { prebuiltImageRef } from '../../src/images/prebuilt.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { loadPredictions } from '../../src/instance/predictions.js';
import { makeTestSpec } from '../../src/test-spec/test-spec.js';
import { makePythonTask, type PythonTask } from '../helpers/python-task.js';
import { BusyRegistryProxy, SilentRegistry } from '../helpers/registry-proxy.js';

/**
 * Published instance images, SWE-bench's layout, through a real registry on loopback
 * (scripts/ensure-registry.sh): a conda-style activation at /opt/miniconda3/bin/activate and
 * the repository at /testbed at base_commit, with the fix still in its history (a branch, a
 * tag, a remote), as older published images have it.
 */
const REGISTRY = process.env.SWE_HARNESS_REGISTRY ?? '127.0.0.1:5000';
const NAMESPACE = 'swe-harness-test';
const ACTIVATE = `# A stand-in for conda: \`conda activate testbed\` puts the env's bin first on PATH.
conda() { if [ "$1" = activate ]; then export PATH="/opt/miniconda3/envs/$2/bin:$PATH" CONDA_DEFAULT_ENV="$2"; fi; }
`;
// Only the env's python3 says where it runs: the log shows the tests ran inside `testbed`.
const ENV_PYTHON = '#!/bin/bash\necho "[conda env: $CONDA_DEFAULT_ENV]"\nexec /usr/bin/python3 "$@"\n';

let task: PythonTask;
let published = '';
const made: string[] = [];

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function withPrebuilt(config: HarnessConfig, registry: string, extra: Record<string, unknown> = {}): HarnessConfig {
  const merged = mergeConfig(config as unknown as Record<string, unknown>, { images: { prebuilt: { namespace: NAMESPACE, registry, pull_timeout: 20, pull_attempts: 4, ...extra } } });
  return harnessConfigSchema.parse(merged);
}

/** The image a publisher would have made: our env image, a fake conda, the full clone at base_commit. */
async function buildPublishedImage(at = task.instance.base_commit, tag = 'swe-harness-test/published-calc:latest'): Promise<string> {
  const specs = new SpecRegistry(task.config.spec_dirs);
  const spec = makeTestSpec(task.instance, specs.resolve('test/calc', '0.1'), task.config);
  await makeImageBuilder(task.config, specs, [task.instance]).ensureInstanceImage(spec);
  const context = mkdtempSync(path.join(os.tmpdir(), 'published-'));
  execFileSync('git', ['clone', '-q', task.repo.dir, path.join(context, 'repo')]);
  const git = (...args: string[]) => execFileSync('git', ['-C', path.join(context, 'repo'), ...args], { encoding: 'utf8' });
  git('tag', 'v-fixed', 'HEAD');
  git('checkout', '-q', at);
  mkdirSync(path.join(context, 'conda'));
  writeFileSync(path.join(context, 'conda', 'activate'), ACTIVATE);
  writeFileSync(path.join(context, 'conda', 'python3'), ENV_PYTHON);
  writeFileSync(
    path.join(context, 'Dockerfile'),
    [
      `FROM ${spec.envImage!.tag}`,
      'COPY conda/activate /opt/miniconda3/bin/activate',
      'COPY conda/python3 /opt/miniconda3/envs/testbed/bin/python3',
      'RUN chmod +x /opt/miniconda3/envs/testbed/bin/python3',
      'COPY repo/ /testbed/',
      'WORKDIR /testbed',
    ].join('\n'),
  );
  await containerRuntime().buildImage({ contextDir: context, entries: ['Dockerfile', 'conda', 'repo'], tag, labels: { 'swe-harness.kind': 'test-published' }, buildArgs: {}, logPath: path.join(task.workDir, 'published.log'), timeoutSeconds: 600 });
  made.push(tag);
  return tag;
}

/** Publishes the image as `instance`'s under `registry`, and drops the local name so a pull is needed. */
async function publishAs(instance: Instance, config: HarnessConfig): Promise<string> {
  const ref = prebuiltImageRef(instance.instance_id, config)!;
  await pushImage(published, ref);
  docker('rmi', ref);
  return ref;
}

function instanceCopy(id: string): Instance {
  return { ...task.instance, instance_id: id };
}

async function evaluate(config: HarnessConfig, instances: Instance[], predictions: 'gold' | 'empty', runId: string) {
  const outcome = await runEvaluation({ config, runId, instances, predictions: loadPredictions(predictions, instances).byId, concurrency: 1 });
  for (const r of outcome.results) if (r.images?.instance) made.push(r.images.instance);
  return outcome;
}

beforeAll(async () => {
  execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/ensure-registry.sh')], { stdio: 'ignore' });
  task = makePythonTask();
  published = await buildPublishedImage();
});

afterAll(() => {
  const refs = docker('images', '--format', '{{.Repository}}:{{.Tag}}').split('\n').filter((r) => r.includes(`/${NAMESPACE}/`));
  for (const image of [...new Set([...made, ...refs])]) {
    try {
      docker('rmi', '-f', image);
    } catch {
      // already gone
    }
  }
});

describe('published instance images from a registry', () => {
  it('pulls the image, strips its history after base_commit, runs the tests in its conda env: gold resolved, empty not', async () => {
    const config = withPrebuilt(task.config, REGISTRY);
    const ref = await publishAs(task.instance, config);
    const gold = await evaluate(config, [task.instance], 'gold', 'test-prebuilt-gold');
    const result = gold.results[0]!;
    expect(result.error).toBeUndefined();
    expect(result.resolved).toBe(true);
    const output = readFileSync(path.join(gold.runDir, 'gold', task.instance.instance_id, 'test_output.txt'), 'utf8');
    expect(output).toContain('[conda env: testbed]');
    // The instance image is made from the pulled one, without the fix's commit, tag or remote.
    const image = result.images!.instance;
    expect(docker('image', 'inspect', '--format', '{{index .Config.Labels "swe-harness.parent"}}', image).trim()).toBe(docker('image', 'inspect', '--format', '{{.Id}}', ref).trim());
    const refsLeft = docker('run', '--rm', image, 'bash', '-c', 'cd /testbed && git rev-list --all | wc -l && git tag | wc -l && git remote | wc -l').trim().split('\n');
    expect(refsLeft).toEqual(['2', '0', '0']);
    const empty = await evaluate(config, [task.instance], 'empty', 'test-prebuilt-empty');
    expect(empty.results[0]!.error).toBeUndefined();
    expect(empty.results[0]!.resolved).toBe(false);
    expect(empty.results[0]!.tests_status!.FAIL_TO_PASS.failure).toEqual(['tests/test_calc.py::test_add']);
  });

  it('retries a registry that answers 429 twice, then pulls', async () => {
    const proxy = new BusyRegistryProxy(REGISTRY, 2);
    const address = await proxy.start();
    try {
      const instance = instanceCopy('test__calc-busy');
      const config = withPrebuilt(task.config, address);
      await publishAs(instance, withPrebuilt(task.config, REGISTRY));
      const outcome = await evaluate(config, [instance], 'gold', 'test-prebuilt-busy');
      expect(proxy.tooManyRequests).toBe(2);
      expect(outcome.results[0]!.error).toBeUndefined();
      expect(outcome.results[0]!.resolved).toBe(true);
      const log = readFileSync(path.join(config.images.log_dir, 'pull', `${prebuiltImageRef(instance.instance_id, config)!.replace(/[/:]/g, '_')}.log`), 'utf8');
      expect(log).toMatch(/attempt 1 failed: .*(429|toomanyrequests|rate limit)/i);
    } finally {
      await proxy.stop();
    }
  });

  it('fails the instance whose registry never answers, naming the image, and the batch goes on', async () => {
    const silent = new SilentRegistry();
    const address = await silent.start();
    try {
      const config = withPrebuilt(task.config, address, { pull_timeout: 3, pull_attempts: 2 });
      const stuck = instanceCopy('test__calc-stuck');
      const present = instanceCopy('test__calc-present');
      // The second instance's image is already here: no pull, so it is graded.
      const presentRef = prebuiltImageRef(present.instance_id, config)!;
      docker('tag', published, presentRef);
      const outcome = await evaluate(config, [stuck, present], 'gold', 'test-prebuilt-silent');
      const byId = new Map(outcome.results.map((r) => [r.instance_id, r]));
      const failed = byId.get(stuck.instance_id)!;
      expect(failed.error?.code).toBe('IMAGE_PULL');
      expect(failed.error?.message).toContain(prebuiltImageRef(stuck.instance_id, config));
      expect(failed.error?.message).toMatch(/timed out after 3 s/);
      expect(byId.get(present.instance_id)!.error).toBeUndefined();
      expect(byId.get(present.instance_id)!.resolved).toBe(true);
      expect(outcome.summaries[0]).toMatchObject({ resolved_instances: 1, error_instances: 1 });
    } finally {
      await silent.stop();
    }
  });

  it('refuses a published image whose /testbed is not at base_commit, saying so', async () => {
    const fixCommit = task.repo.git('rev-parse', 'HEAD').trim();
    const wrong = await buildPublishedImage(fixCommit, 'swe-harness-test/published-calc-wrong:latest');
    const config = withPrebuilt(task.config, REGISTRY);
    const instance = instanceCopy('test__calc-wrong');
    docker('tag', wrong, prebuiltImageRef(instance.instance_id, config)!);
    const outcome = await evaluate(config, [instance], 'gold', 'test-prebuilt-wrong');
    expect(outcome.results[0]!.error?.code).toBe('IMAGE_BUILD');
    expect(outcome.results[0]!.error?.message).toContain(`REFUSED: /testbed is at ${fixCommit}, not base_commit ${task.instance.base_commit}`);
  });
});
