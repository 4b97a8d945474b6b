import { Writable } from 'node:stream';

/**
 * Collects a command's output up to a cap, keeping the head and the tail: the start says
 * what ran, the end says how it ended (pytest's summary is at the end).
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

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (this.dropped === 0) return head + tail;
    return `${head}\n[... swe-harness cut ${this.dropped} bytes of output here ...]\n${tail}`;
  }
}
