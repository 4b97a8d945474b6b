import { expect, it } from 'vitest';
import { containerLimits, loadHarnessConfig } from '../../src/config/harness-config.js';
import { gradingArgv } from '../../src/evaluation/apply-patch.js';
import { ImageBuilder } from '../../src/images/image-builder.js';
import { containerRuntime } from '../../src/runtime/registry.js';

/**
 * A test log is read in the order it was written: grading runs its commands with stderr on
 * stdout's pipe. With the exec's two streams merged as they arrived, 3,000 alternating lines
 * of stdout and stderr came back out of order in 5 runs of 5 (and a cargo log lost a test's
 * "ok" to a stderr line in CI).
 */
it('keeps the order of stdout and stderr writes in a grading command', async () => {
  const config = loadHarnessConfig(undefined, {});
  await new ImageBuilder(config, () => undefined).ensureOsImage();
  await using container = await containerRuntime().start({ image: config.images.os_image, labels: {}, limits: containerLimits(config, false) });
  const script = 'for i in $(seq 3000); do echo "out $i"; echo "err $i" >&2; done';
  const expected = Array.from({ length: 3000 }, (_, i) => `out ${i + 1}\nerr ${i + 1}\n`).join('');
  for (let k = 0; k < 3; k++) {
    const run = await container.exec(gradingArgv(script), { timeoutMs: 120_000, outputCapBytes: 1 << 24 });
    expect(run.output === expected).toBe(true);
  }
}, 600_000);
