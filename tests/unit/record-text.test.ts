import { describe, expect, it } from 'vitest'
import { RECORDS_PER_BLOCK } from '@/lib/events/record-blocks'
import { RecordText } from '@/lib/ingest/record-text'

const head = Buffer.from('["a","b"]\n')

/** What the pipeline wrote before RecordText: the head, then each line with its break. */
function expected(lines: string[], kept?: Uint8Array, first = 0): string {
  return head.toString() + lines.map((line, i) => (kept && !kept[first + i] ? '' : line) + '\n').join('')
}

describe('RecordText', () => {
  it('writes each block as its head and its lines, 250 a block, UTF-8 and long lines included', () => {
    const text = new RecordText(head)
    const lines: string[] = []
    for (let i = 0; i < RECORDS_PER_BLOCK * 2 + 7; i++) {
      // One line far longer than a block's first buffer, and characters of 2-4 bytes.
      const line = i === 3 ? 'x'.repeat(300_000) : `"${i}",é€😀 ${'y'.repeat(i % 50)}`
      lines.push(line)
      text.add(i % 2 ? 'c' : '', line)
    }
    const tagged = lines.map((line, i) => (i % 2 ? 'c' : '') + line)
    expect(text.lines).toBe(lines.length)
    expect(text.blockCount).toBe(3)
    for (let b = 0; b < 3; b++) {
      expect(text.block(b).toString()).toBe(expected(tagged.slice(b * RECORDS_PER_BLOCK, (b + 1) * RECORDS_PER_BLOCK)))
    }
  })

  it('leaves a dropped line (a duplicate) empty, so every other line keeps its number', () => {
    const text = new RecordText(head)
    const lines = Array.from({ length: RECORDS_PER_BLOCK + 10 }, (_, i) => `c${i}`)
    for (const line of lines) text.add('', line)
    const kept = new Uint8Array(lines.length).fill(1)
    kept[0] = 0
    kept[RECORDS_PER_BLOCK + 3] = 0
    expect(text.block(0, kept).toString()).toBe(expected(lines.slice(0, RECORDS_PER_BLOCK), kept, 0))
    expect(text.block(1, kept).toString()).toBe(expected(lines.slice(RECORDS_PER_BLOCK), kept, RECORDS_PER_BLOCK))
  })

  it('a later batch starts its blocks at the size the last one needed, and still holds more', () => {
    const first = new RecordText(head)
    for (let i = 0; i < RECORDS_PER_BLOCK + 1; i++) first.add('c', 'z'.repeat(1000))
    const next = new RecordText(head, first)
    const lines = Array.from({ length: RECORDS_PER_BLOCK }, (_, i) => 'w'.repeat(i * 20))
    for (const line of lines) next.add('c', line)
    expect(next.block(0).toString()).toBe(expected(lines.map((line) => 'c' + line)))
  })

  it('without a head (JSON records) a block is its lines only', () => {
    const text = new RecordText(null)
    text.add('', '{"a":1}')
    text.add('', '{"a":2}')
    expect(text.block(0).toString()).toBe('{"a":1}\n{"a":2}\n')
  })
})
