import { Writable } from 'node:stream';

/** The note put where bytes were cut, given how many. */
export type CutNote = (droppedBytes: number) => string;

const COMMAND_CUT: CutNote = (n) => `[... swe-harness cut ${n} bytes of output here ...]`;

/**
 * The one head-and-tail truncator. Collects output up to a cap, keeping the head and the
 * tail: the start says what ran, the end says how it ended (pytest's summary is at the end).
 */
export class OutputCollector extends Writable {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.append(chunk);
    done();
  }

  /** The synchronous path, for callers that already hold the bytes. */
  append(chunk: Buffer): void {
    const half = Math.floor(this.cap / 2);
    let rest = chunk;
    if (this.headBytes < half) {
      const take = rest.subarray(0, half - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length > 0) this.pushTail(rest, this.cap - half);
  }

  private pushTail(chunk: Buffer, limit: number): void {
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > limit && this.tail.length > 0) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - limit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(note: CutNote = COMMAND_CUT): string {
    // Uncut, decode as one piece: a character split between head and tail stays whole.
    if (this.dropped === 0) return Buffer.concat([...this.head, ...this.tail]).toString('utf8');
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return `${head}\n${note(this.dropped)}\n${tail}`;
  }
}

/** Text cut to `capBytes` (head and tail kept), with `note` where the middle was cut. */
export function keepHeadAndTail(text: string, capBytes: number, note?: CutNote): string {
  const collector = new OutputCollector(capBytes);
  collector.append(Buffer.from(text));
  return collector.text(note);
}
