import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, type HarnessConfig } from '../config/harness-config.js';
import { buildImage, writeDockerfile } from '../docker/build-image.js';
import { LABELS } from '../docker/client.js';
import { imageId } from '../docker/images.js';
import { HarnessError } from '../errors.js';
import { checkoutAtCommit } from '../repo/checkout.js';
import type { ImageRecipe, TestSpec } from '../spec/test-spec.js';
import { KeyedLock } from '../util/keyed-lock.js';
import { pathInside } from '../util/safe-path.js';

export interface BuiltImages {
  base: string;
  env: string;
  instance: string;
  /** Which of the three this call had to build (false: found by its content-hash tag). */
  built: { base: boolean; env: boolean; instance: boolean };
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
  ) {}

  async ensureInstanceImage(spec: TestSpec): Promise<BuiltImages> {
    await this.ensureOsImage();
    const base = await this.ensure(spec.base, spec);
    const env = await this.ensure(spec.envImage, spec);
    const instance = await this.ensure(spec.instanceImage, spec);
    return { base: base.id, env: env.id, instance: instance.id, built: { base: base.built, env: env.built, instance: instance.built } };
  }

  private async ensure(recipe: ImageRecipe, spec: TestSpec): Promise<{ id: string; built: boolean }> {
    return this.locks.run(recipe.tag, async () => {
      const existing = await imageId(recipe.tag);
      if (existing) return { id: existing, built: false };
      return { id: await this.build(recipe, spec), built: true };
    });
  }

  private logPath(recipe: ImageRecipe): string {
    return pathInside(this.config.images.log_dir, recipe.kind, `${recipe.tag.replace(/[/:]/g, '_')}.log`);
  }

  private async build(recipe: ImageRecipe, spec: TestSpec): Promise<string> {
    const contextDir = mkdtempSync(path.join(os.tmpdir(), `swe-harness-${recipe.kind}-`));
    try {
      writeDockerfile(contextDir, recipe.dockerfile);
      const entries = ['Dockerfile'];
      if (recipe.kind === 'instance') {
        const location = { repo: spec.repo, source: this.repoSource(spec), cacheDir: this.config.repo_cache, instanceId: spec.instanceId };
        await checkoutAtCommit(location, spec.baseCommit, path.join(contextDir, 'repo'));
        entries.push('repo');
      }
      const labels: Record<string, string> = { [LABELS.kind]: recipe.kind, [LABELS.hash]: recipe.hash };
      if (recipe.kind === 'instance') labels[LABELS.instance] = spec.instanceId;
      return await buildImage({
        contextDir,
        entries,
        tag: recipe.tag,
        labels,
        buildArgs: recipe.buildArgs,
        logPath: this.logPath(recipe),
        timeoutSeconds: spec.env.timeouts.build,
        instanceId: recipe.kind === 'instance' ? spec.instanceId : undefined,
      });
    } finally {
      rmSync(contextDir, { recursive: true, force: true });
    }
  }

  /** The offline OS image, made by images/os/debootstrap.sh when it is missing. */
  private async ensureOsImage(): Promise<void> {
    if (this.config.images.source !== 'offline') return;
    const tag = this.config.images.os_image;
    await this.locks.run(tag, async () => {
      if (await imageId(tag)) return;
      const logPath = pathInside(this.config.images.log_dir, 'os', `${tag.replace(/[^\w.-]/g, '_')}.log`);
      mkdirSync(path.dirname(logPath), { recursive: true });
      const script = path.join(PROJECT_ROOT, 'images/os/debootstrap.sh');
      const { debian_suite: suite, debian_mirror: mirror } = this.config.images;
      const code = await runLogged('bash', [script, tag, suite, mirror], logPath);
      if (code !== 0) {
        throw new HarnessError('IMAGE_BUILD', `making the OS image ${tag} with debootstrap failed (exit ${code})`, { logPath });
      }
    });
  }
}

function runLogged(command: string, args: string[], logPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logPath);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => log.end(() => resolve(code ?? 1)));
  });
}
