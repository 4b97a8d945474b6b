import { SpecRegistry } from '../../config/spec-registry.js';
import { containerRuntime } from '../../runtime/registry.js';
import { listImagesByReference, listManagedImages, type ManagedImage } from '../../runtime/cleanup.js';
import { errorMessage, HarnessError } from '../../errors.js';
import { pruneImages } from '../../runtime/prune-images.js';
import { makeImageBuilder } from '../../images/instance-images.js';
import { makeInstanceTestSpec, prebuiltImagePattern } from '../../images/prebuilt.js';
import { runPool } from '../../util/pool.js';
import { loadHarnessConfig } from '../../config/harness-config.js';
import { ProgressReporter } from '../progress.js';
import { loadSelection, prebuiltOverrides, printProblems, type SelectionOptions } from '../load-selection.js';
import { renderTable } from '../table.js';

export interface ImagesOptions extends SelectionOptions {
  all?: boolean;
}

export async function imagesCommand(values: ImagesOptions, positionals: string[]): Promise<number> {
  const [action] = positionals;
  await containerRuntime().assertAvailable();
  if (action === 'build') return build(values);
  if (action === 'list') return list(values);
  if (action === 'prune') return prune(values);
  throw new HarnessError('USAGE', 'images takes build, list or prune');
}

async function build(values: ImagesOptions): Promise<number> {
  const selection = await loadSelection(values, new ProgressReporter());
  printProblems('dataset problems (these records are skipped)', selection.problems);
  const specs = SpecRegistry.forConfig(selection.config);
  const reporter = new ProgressReporter();
  const builder = makeImageBuilder(selection.config, specs, selection.instances, selection.repoDirs, (p) => reporter.onTransfer(p));
  let failures = 0;
  await runPool(selection.instances, selection.concurrency, async (instance) => {
    try {
      const spec = makeInstanceTestSpec(instance, specs.resolve(instance.repo, instance.version, instance.instance_id), selection.config);
      const built = await builder.ensureInstanceImage(spec);
      process.stderr.write(`${instance.instance_id}: ${spec.instanceImage.tag}${built.built.instance ? ' (built)' : ' (exists)'}\n`);
    } catch (err) {
      failures++;
      process.stderr.write(`${instance.instance_id}: ${errorMessage(err)}\n`);
    }
  });
  return failures > 0 ? 2 : 0;
}

/** Ours (by label), and the published images the config names (by reference), as kind `prebuilt`. */
async function knownImages(values: ImagesOptions): Promise<ManagedImage[]> {
  const config = loadHarnessConfig(values.config, prebuiltOverrides(values));
  const pattern = prebuiltImagePattern(config);
  return [...(await listManagedImages()), ...(pattern ? await listImagesByReference(pattern, 'prebuilt') : [])];
}

async function list(values: ImagesOptions): Promise<number> {
  const images = await knownImages(values);
  const rows = images
    .sort((a, b) => a.kind.localeCompare(b.kind) || (a.tags[0] ?? '').localeCompare(b.tags[0] ?? ''))
    .map((img) => [img.kind, img.tags.join(',') || img.id.slice(7, 19), img.instance ?? '', `${(img.sizeBytes / 1e6).toFixed(0)} MB`, img.created.toISOString().slice(0, 19)]);
  process.stdout.write(`${renderTable(['kind', 'tag', 'instance', 'size', 'created'], rows)}\n`);
  return 0;
}

/**
 * Removes instance images (the largest and most numerous layer), the published instance
 * images of the configured namespace, the shared repository layers no instance image uses
 * any more, and any of ours that lost their tag to a rebuild; with --all, env and base images
 * too. Images in use are kept.
 */
async function prune(values: ImagesOptions): Promise<number> {
  const kinds = values.all === true ? ['instance', 'prebuilt', 'repo', 'env', 'base'] : ['instance', 'prebuilt', 'repo'];
  const report = await pruneImages(await knownImages(values), kinds);
  for (const kept of report.kept) process.stderr.write(`kept ${kept.image}: ${kept.reason}\n`);
  process.stdout.write(`removed ${report.removed} image(s)\n`);
  return 0;
}
