import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, type HarnessConfig } from '../config/harness-config.js';
import { ImageBuilder } from '../images/image-builder.js';
import { LABELS } from '../runtime/labels.js';
import { containerRuntime } from '../runtime/registry.js';
import { contentHash } from '../util/hash.js';
import { pathInside } from '../util/safe-path.js';

/** The folder of the runner image's Dockerfile and the programs it copies in. */
const CONTEXT_DIR = path.join(PROJECT_ROOT, 'images/function-level');
const CONTEXT_FILES = ['Dockerfile', 'fl_runner.py', 'fl_exec.c', 'fl_python.py', 'fl_checks.py', 'go-warm/go.mod', 'go-warm/warm_test.go'];

/** The runner image's tag: a hash of everything that goes into it, so a changed runner is rebuilt. */
export function runnerImageTag(config: HarnessConfig): string {
  const files = Object.fromEntries(CONTEXT_FILES.map((f) => [f, readFileSync(path.join(CONTEXT_DIR, f), 'utf8')]));
  return `swe-harness/function-level:${contentHash({ files, os: config.images.os_image })}`;
}

/**
 * The image samples run in (Python, Node.js with TypeScript, Go, and the runner), built from
 * the offline OS image when no image has its tag; returns the image id, which is part of every
 * result key.
 */
export async function ensureRunnerImage(config: HarnessConfig, logDir = config.images.log_dir): Promise<string> {
  const tag = runnerImageTag(config);
  const existing = await containerRuntime().imageId(tag);
  if (existing) return existing;
  await new ImageBuilder(config, () => undefined).ensureOsImage();
  // A scratch copy: the build writes its labels into the Dockerfile it is given.
  const contextDir = mkdtempSync(path.join(os.tmpdir(), 'swe-harness-function-level-'));
  try {
    for (const file of CONTEXT_FILES) cpSync(path.join(CONTEXT_DIR, file), path.join(contextDir, file));
    return await containerRuntime().buildImage({
      contextDir,
      entries: CONTEXT_FILES,
      tag,
      labels: { [LABELS.kind]: 'function-level', [LABELS.hash]: tag.split(':')[1] as string },
      buildArgs: { OS_IMAGE: config.images.os_image },
      logPath: pathInside(logDir, 'function-level', `${tag.replace(/[/:]/g, '_')}.log`),
      timeoutSeconds: 1800,
    });
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
  }
}
