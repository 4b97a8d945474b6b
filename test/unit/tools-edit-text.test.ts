import { describe, expect, it } from 'vitest';
import { closestLine, replaceExact } from '../../src/tools/edit-text.js';

const SOURCE = 'def a():\n    return 1\n\n\ndef b():\n    return 1\n';

describe('replaceExact', () => {
  it('replaces a unique string once', () => {
    expect(replaceExact(SOURCE, 'def a():\n    return 1', 'def a():\n    return 2')).toEqual({ ok: true, count: 1, text: SOURCE.replace('return 1', 'return 2') });
  });

  it('refuses a string found several times and names the lines', () => {
    const r = replaceExact(SOURCE, 'return 1', 'return 2');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('occurs 2 times (at lines 2, 6)') });
  });

  it('replaces every occurrence with replace_all', () => {
    const r = replaceExact(SOURCE, 'return 1', 'return 2', true);
    expect(r).toEqual({ ok: true, count: 2, text: SOURCE.replaceAll('return 1', 'return 2') });
  });

  it('keeps `$` patterns in the new text literally (String.replace would expand $& and $1)', () => {
    const r = replaceExact('x = 1\n', 'x = 1', "x = re.sub(r'(a)', '$1$&', s)");
    expect(r).toEqual({ ok: true, count: 1, text: "x = re.sub(r'(a)', '$1$&', s)\n" });
  });

  it('matches LF text in a CRLF file and keeps the CRLF endings', () => {
    const crlf = SOURCE.replace(/\n/g, '\r\n');
    const r = replaceExact(crlf, 'def b():\n    return 1', 'def b():\n    return 3\n    # done');
    expect(r).toEqual({ ok: true, count: 1, text: crlf.replace('def b():\r\n    return 1', 'def b():\r\n    return 3\r\n    # done') });
  });

  it('says which line differs only in whitespace when nothing matches', () => {
    const r = replaceExact(SOURCE, 'def b():\n  return 1', 'x');
    expect(r.ok).toBe(false);
    // The first line matches exactly, so the hint points at it.
    expect(!r.ok && r.reason).toMatch(/not found.*Line 5 has its first line with different whitespace: `def b\(\):`/);
    const indented = replaceExact(SOURCE, '  def b():', 'x');
    expect(!indented.ok && indented.reason).toMatch(/Line 5/);
  });

  it('points at the closest line when nothing matches, and at none when nothing is alike', () => {
    const r = replaceExact(SOURCE, 'def bb(x):', 'x');
    expect(!r.ok && r.reason).toMatch(/closest line is 5: `def b\(\):`/);
    const none = replaceExact(SOURCE, 'class Zebra(Animal):', 'x');
    expect(!none.ok && none.reason).toMatch(/read the file again/);
  });

  it('refuses a change that changes nothing', () => {
    expect(replaceExact(SOURCE, 'return 1', 'return 1')).toEqual({ ok: false, reason: expect.stringContaining('the same') });
  });
});

describe('closestLine', () => {
  it('picks the most alike line', () => {
    expect(closestLine(['import os', 'def slugify(text):', 'def slug(x):'], 'def slugify(txt):')).toEqual({ index: 1, text: 'def slugify(text):' });
  });
});
