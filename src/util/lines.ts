/**
 * Splits a byte stream into lines ('\n', not kept) as chunks come. A line is joined once, when
 * its end arrives: joining at every chunk would copy a long line (a reference solution's
 * outputs, hundreds of MB) over and over.
 */
export class LineSplitter {
  private parts: Buffer[] = [];

  /** The lines this chunk ends, in order. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl);
      lines.push(this.parts.length > 0 ? Buffer.concat([...this.parts, piece]) : piece);
      this.parts = [];
      from = nl + 1;
    }
    if (from < chunk.length) this.parts.push(chunk.subarray(from));
    return lines;
  }
}
