import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, type HarnessConfig } from '../config/harness-config.js';
import type { TransferListener } from '../util/transfer-progress.js';
import { HarnessError } from '../errors.js';
import { ensureMirror } from '../repo/checkout.js';
import { LABELS } from '../runtime/labels.js';
import { containerRuntime } from '../runtime/registry.js';
import { REPO_LAYER_ARG, type ImageRecipe, type TestSpec } from '../test-spec/test-spec.js';
import { ensureRepoLayers, objectPack, type BuildInputs, type EnsureImage, type RepoLayer } from './repo-layers.js';
import { KeyedLock } from '../util/keyed-lock.js';
import { pathInside } from '../util/safe-path.js';

export interface BuiltImages {
  base: string;
  env: string;
  instance: string;
  /** Which layers this call had to build (false: found by its content-hash tag); repo: any shared repository layer. */
  built: { base: boolean; env: boolean; repo?: boolean; instance: boolean };
}

export interface RepoSourceResolver {
  (spec: TestSpec): string | undefined;
}

/**
 * Builds the three layers of an instance's image, each only when no image carries its
 * content-hash tag. Builds of the same tag are shared between concurrent instances.
 */
export class ImageBuilder {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly config: HarnessConfig,
    private readonly repoSource: RepoSourceResolver,
    private readonly onTransfer?: TransferListener,
  ) {}

  async ensureInstanceImage(spec: TestSpec): Promise<BuiltImages> {
    if (spec.prebuiltImage) return this.ensureFromPrebuilt(spec, spec.prebuiltImage);
    if (!spec.base || !spec.envImage) throw new Error(`${spec.instanceId}: a spec without a published image has base and env recipes`);
    await this.ensureOsImage();
    const base = await this.ensure(spec.base, spec);
    const env = await this.ensure(spec.envImage, spec);
    let repo = false;
    const instance = await this.ensure(spec.instanceImage, spec, undefined, async () => {
      const { inputs, layer } = await this.instanceInputs(spec);
      repo = layer.built;
      return inputs;
    });
    return { base: base.id, env: env.id, instance: instance.id, built: { base: base.built, env: env.built, repo, instance: instance.built } };
  }

  /** The shared repository layer below base_commit (built when missing) and the pack from it. */
  private async instanceInputs(spec: TestSpec): Promise<{ inputs: BuildInputs; layer: RepoLayer }> {
    const loc = { repo: spec.repo, source: this.repoSource(spec), cacheDir: this.config.repo_cache, instanceId: spec.instanceId };
    const mirror = await ensureMirror(loc, spec.baseCommit);
    const ensureLayer: EnsureImage = (recipe, s, prepare) => this.ensure(recipe, s, undefined, prepare);
    const layer = await ensureRepoLayers(spec, loc, mirror, this.config.images.repo_layers, ensureLayer);
    const inputs = {
      fill: objectPack(mirror, layer.commit, spec.baseCommit, spec.instanceId),
      buildArgs: { [REPO_LAYER_ARG]: layer.tag },
      labels: { [LABELS.parent]: layer.id },
    };
    return { inputs, layer };
  }

  /**
   * A published image, pulled unless present, then our instance image made FROM it (history
   * stripped, see stripHistoryScript). The pulled image's id is a label of ours, so a newer
   * pull of the same tag remakes it. `env` in the result is the pulled image.
   */
  private async ensureFromPrebuilt(spec: TestSpec, ref: string): Promise<BuiltImages> {
    const pulled = await this.locks.run(ref, async () => {
      const existing = await containerRuntime().imageId(ref);
      if (existing) return { id: existing, built: false };
      const { pull_timeout, pull_attempts } = this.config.images.prebuilt;
      const logPath = path.resolve(this.config.images.log_dir, 'pull', `${ref.replace(/[/:]/g, '_')}.log`);
      return { id: await containerRuntime().pullImage({ ref, timeoutSeconds: pull_timeout, attempts: pull_attempts, logPath, instanceId: spec.instanceId, onProgress: this.onTransfer }), built: true };
    });
    const instance = await this.ensure(spec.instanceImage, spec, pulled.id);
    return { base: '', env: pulled.id, instance: instance.id, built: { base: false, env: pulled.built, instance: instance.built } };
  }

  /** `prepare` runs only when the image is missing: what its build needs besides the recipe. */
  private async ensure(recipe: ImageRecipe, spec: TestSpec, parentId?: string, prepare?: () => Promise<BuildInputs>): Promise<{ id: string; built: boolean }> {
    return this.locks.run(recipe.tag, async () => {
      const existing = await containerRuntime().imageId(recipe.tag);
      const sameParent = parentId === undefined || (existing !== undefined && (await containerRuntime().imageLabels(existing))[LABELS.parent] === parentId);
      if (existing && sameParent) return { id: existing, built: false };
      const inputs = prepare ? await prepare() : {};
      return { id: await this.build(recipe, spec, parentId, inputs), built: true };
    });
  }

  private logPath(recipe: ImageRecipe): string {
    return pathInside(this.config.images.log_dir, recipe.kind, `${recipe.tag.replace(/[/:]/g, '_')}.log`);
  }

  private async build(recipe: ImageRecipe, spec: TestSpec, parentId: string | undefined, inputs: BuildInputs): Promise<string> {
    const contextDir = mkdtempSync(path.join(os.tmpdir(), `swe-harness-${recipe.kind}-`));
    try {
      writeDockerfile(contextDir, recipe.dockerfile);
      const entries = ['Dockerfile', ...(inputs.fill ? await inputs.fill(contextDir) : [])];
      const labels: Record<string, string> = { [LABELS.kind]: recipe.kind, [LABELS.hash]: recipe.hash, ...inputs.labels };
      if (recipe.kind === 'instance') labels[LABELS.instance] = spec.instanceId;
      if (parentId) labels[LABELS.parent] = parentId;
      return await containerRuntime().buildImage({
        contextDir,
        entries,
        tag: recipe.tag,
        labels,
        buildArgs: { ...recipe.buildArgs, ...inputs.buildArgs },
        logPath: this.logPath(recipe),
        timeoutSeconds: spec.env.timeouts.build,
        instanceId: recipe.kind === 'instance' ? spec.instanceId : undefined,
      });
    } finally {
      rmSync(contextDir, { recursive: true, force: true });
    }
  }

  /**
   * The offline OS image when it is missing: images/os/debootstrap.sh writes the root as a
   * tarball and the engine imports it through its API (Docker, or Podman's socket).
   */
  async ensureOsImage(): Promise<void> {
    if (this.config.images.source !== 'offline') return;
    const tag = this.config.images.os_image;
    await this.locks.run(tag, async () => {
      if (await containerRuntime().imageId(tag)) return;
      const logPath = pathInside(this.config.images.log_dir, 'os', `${tag.replace(/[^\w.-]/g, '_')}.log`);
      mkdirSync(path.dirname(logPath), { recursive: true });
      const script = path.join(PROJECT_ROOT, 'images/os/debootstrap.sh');
      const { debian_suite: suite, debian_mirror: mirror } = this.config.images;
      const work = mkdtempSync(path.join(os.tmpdir(), 'swe-harness-os-'));
      try {
        const tarPath = path.join(work, 'rootfs.tar');
        const code = await runLogged('bash', [script, tag, suite, mirror], logPath, { SWE_HARNESS_ROOTFS_TAR: tarPath });
        if (code !== 0) {
          throw new HarnessError('IMAGE_BUILD', `making the OS image ${tag} with debootstrap failed (exit ${code})`, { logPath });
        }
        const changes = readFileSync(path.join(PROJECT_ROOT, 'images/os/image-changes'), 'utf8').split('\n').filter(Boolean);
        await containerRuntime().importImage({ tarPath, tag, changes });
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
}

function runLogged(command: string, args: string[], logPath: string, env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logPath);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => log.end(() => resolve(code ?? 1)));
  });
}

/** Writes a Dockerfile into a fresh context folder. */
function writeDockerfile(contextDir: string, dockerfile: string): void {
  mkdirSync(contextDir, { recursive: true });
  writeFileSync(path.join(contextDir, 'Dockerfile'), dockerfile);
}
