import { RECORDS_PER_BLOCK } from '@/lib/events/record-blocks'

/**
 * A batch's original records, one a line, written straight into the text of their record
 * blocks (lib/events/record-blocks.ts): each block's buffer starts with the block's head (a
 * csv-br block's header line) and its lines follow as they arrive. A block is then handed to the
 * compressor as it is, where joining 250 line slices and then the head to them copied every
 * block's text twice (a fifth of the import's main-thread time went to copies and their garbage,
 * measured with `node --cpu-prof` on scripts/bench/ingest-once.ts). A record's text is written
 * in pieces (its tag, its text, its line break): no joined string per record is built.
 */
export class RecordText {
  private readonly blocks: Buffer[] = []
  /** Per block: where each of its lines ends (after its line break), from the block's start. */
  private readonly ends: number[][] = []
  private used = 0
  private count = 0
  /** What a new block's buffer starts at: the size the last full block needed. */
  private blockSize = 64 << 10

  /** `previous`: the batch before, whose blocks' size this one's start at. */
  constructor(
    private readonly head: Buffer | null,
    previous: RecordText | null = null,
  ) {
    if (previous) this.blockSize = previous.blockSize
  }

  get lines(): number {
    return this.count
  }

  /** One record's line: `tag` (may be '') and `text`, which holds no line break. */
  add(tag: string, text: string): void {
    const blockNo = Math.floor(this.count / RECORDS_PER_BLOCK)
    if (blockNo === this.blocks.length) {
      // Records of one file are alike: a block starts at the size the last one needed (~220 KB
      // of portal CSV; not more than 4 MB, should one have held huge records), and grows by
      // doubling when that is not enough.
      if (blockNo > 0) this.blockSize = Math.min(4 << 20, Math.max(64 << 10, this.used + (this.used >> 3)))
      const block = Buffer.allocUnsafe(Math.max(this.blockSize, (this.head?.length ?? 0) + 1024))
      this.used = this.head ? this.head.copy(block, 0) : 0
      this.blocks.push(block)
      this.ends.push([])
    }
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    const most = tag.length * 3 + text.length * 3 + 1
    let block = this.blocks[blockNo]
    if (this.used + most > block.length) {
      const bigger = Buffer.allocUnsafe(Math.max(block.length * 2, this.used + most))
      block.copy(bigger, 0, 0, this.used)
      this.blocks[blockNo] = block = bigger
    }
    if (tag) this.used += block.write(tag, this.used)
    this.used += block.write(text, this.used)
    block[this.used++] = 0x0a
    this.ends[blockNo].push(this.used)
    this.count++
  }

  /** How many blocks the lines fill. */
  get blockCount(): number {
    return this.blocks.length
  }

  /**
   * Block `no`'s text: the head, then its lines; with `kept` (per line of the batch, 1: keep), a
   * line whose flag is 0 is left out but for its line break, so every line keeps its number.
   */
  block(no: number, kept?: Uint8Array | null): Buffer {
    const ends = this.ends[no]
    const end = ends[ends.length - 1]
    const text = this.blocks[no].subarray(0, end)
    const first = no * RECORDS_PER_BLOCK
    if (!kept || !kept.subarray(first, first + ends.length).includes(0)) return text
    const headLength = this.head?.length ?? 0
    const parts: Buffer[] = [text.subarray(0, headLength)]
    const newline = Buffer.from('\n')
    for (let i = 0; i < ends.length; i++) {
      const start = i === 0 ? headLength : ends[i - 1]
      parts.push(kept[first + i] ? text.subarray(start, ends[i]) : newline)
    }
    return Buffer.concat(parts)
  }
}
