import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/util/lines.js';

describe('LineSplitter', () => {
  it('gives each line once its end arrives, however the chunks cut it', () => {
    const text = '{"id":"0"}\n{"id":"1","stdout":"a\\nb"}\n\nlast without end';
    for (let size = 1; size <= text.length; size++) {
      const splitter = new LineSplitter();
      const lines: string[] = [];
      for (let at = 0; at < text.length; at += size) lines.push(...splitter.push(Buffer.from(text.slice(at, at + size))).map((l) => l.toString()));
      expect(lines).toEqual(['{"id":"0"}', '{"id":"1","stdout":"a\\nb"}', '']);
    }
  });

  it('joins a line of many chunks whole', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.alloc(65536, 0x78);
    for (let i = 0; i < 200; i++) expect(splitter.push(chunk)).toEqual([]);
    const [line, next] = splitter.push(Buffer.from('y\nz\n'));
    expect(line?.length).toBe(200 * 65536 + 1);
    expect(line?.at(-1)).toBe(0x79);
    expect(next?.toString()).toBe('z');
  });
});
