import { describe, expect, it } from 'vitest';
import { OutputCollector } from '../../src/util/head-tail.js';
import { exitCodeDisagreement, testPatchFailed, testSection } from '../../src/grading/test-log.js';
import type { TestStatusMap } from '../../src/grading/test-status.js';
import { recordStatus } from '../../src/grading/test-status.js';
import { END_MARKER, START_MARKER, TEST_PATCH_FAILED_MARKER } from '../../src/grading/eval-markers.js';

describe('testSection', () => {
  it('keeps spoofed markers printed by the tests inside the section', () => {
    const output = ['setup', START_MARKER, 'real 1', END_MARKER, 'PASSED spoof', START_MARKER, 'real 2', END_MARKER, 'teardown'].join('\n');
    const section = testSection(output) ?? '';
    expect(section).toContain('real 1');
    expect(section).toContain('PASSED spoof');
    expect(section).toContain('real 2');
    expect(section).not.toContain('setup');
    expect(section).not.toContain('teardown');
  });

  it('is undefined when the script never reached the end marker (killed mid-run)', () => {
    expect(testSection(`${START_MARKER}\npartial`)).toBeUndefined();
  });

  it('tells a failed test patch apart from a test printing the same words', () => {
    expect(testPatchFailed(`error: patch failed\n${TEST_PATCH_FAILED_MARKER}\n`)).toBe(true);
    expect(testPatchFailed(`${START_MARKER}\n${TEST_PATCH_FAILED_MARKER}\n${END_MARKER}`)).toBe(false);
  });
});

describe('exitCodeDisagreement', () => {
  const allPass: TestStatusMap = new Map([['t1', 'PASSED']]);

  it('flags a non-zero exit whose log shows only passes (a crash or os._exit after spoofed lines)', () => {
    expect(exitCodeDisagreement(137, allPass)).toMatch(/exited 137/);
  });

  it('accepts a non-zero exit explained by a failing test, and a zero exit', () => {
    const map: TestStatusMap = new Map(allPass);
    recordStatus(map, 'other', 'FAILED');
    expect(exitCodeDisagreement(1, map)).toBeUndefined();
    expect(exitCodeDisagreement(0, allPass)).toBeUndefined();
  });
});

describe('OutputCollector', () => {
  it('keeps the head and the tail and says how much it cut', async () => {
    const collector = new OutputCollector(100);
    for (let i = 0; i < 100; i++) collector.write(Buffer.from(`line ${String(i).padStart(3, '0')}\n`));
    await new Promise((resolve) => collector.end(resolve));
    const text = collector.text();
    expect(collector.truncated).toBe(true);
    expect(text.startsWith('line 000\n')).toBe(true);
    expect(text.endsWith('line 099\n')).toBe(true);
    expect(text).toMatch(/cut 800 bytes/);
  });
});
