import { describe, expect, it } from 'vitest';
import { numberFlag } from '../../src/cli/number-flags.js';

describe('numberFlag: the one reader of numeric CLI flags', () => {
  it('leaves an absent flag to the caller and reads the kinds asked', () => {
    expect(numberFlag(undefined, 'max-workers', { whole: true, min: 1 })).toBeUndefined();
    expect(numberFlag('3', 'max-workers', { whole: true, min: 1 })).toBe(3);
    expect(numberFlag('0.5', 'timeout', { above: 0 })).toBe(0.5);
    expect(numberFlag('-0.2', 'temperature')).toBe(-0.2);
  });

  it('refuses what is not of that kind, naming the flag', () => {
    expect(() => numberFlag('2.5', 'max-workers', { whole: true, min: 1 })).toThrow(/--max-workers takes a whole number of at least 1, not "2.5"/);
    expect(() => numberFlag('0', '--stalled-ms', { whole: true, min: 1 })).toThrow(/--stalled-ms takes/);
    expect(() => numberFlag('0', 'timeout', { above: 0 })).toThrow(/--timeout takes a number above 0/);
    expect(() => numberFlag('abc', 'top-p')).toThrow(/--top-p takes a number, not "abc"/);
  });
});
