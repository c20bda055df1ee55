import { describe, expect, it } from 'vitest'
import { ChunkPool, CopyText } from '@/lib/ingest/copy-rows'

// The import hands its COPY text buffers from one batch to the next (lib/ingest/copy-rows.ts):
// a reused buffer must never leak one batch's bytes into another's.
describe('CopyText with a chunk pool', () => {
  const lines = (prefix: string, n: number, width = 900) => Array.from({ length: n }, (_, i) => `${prefix}${i}\t${'x'.repeat(width)}\n`)

  it('gives back exactly its own lines after the pool reuses the buffers of an earlier text', () => {
    const pool = new ChunkPool()
    const first = new CopyText(pool)
    for (const line of lines('a', 3000)) first.add(line)
    expect(Buffer.concat([...first.pieces()]).toString()).toBe(lines('a', 3000).join(''))
    first.release()

    const second = new CopyText(pool)
    const expected = lines('b', 1200, 37)
    for (const line of expected) second.add(line)
    expect(Buffer.concat([...second.pieces()]).toString()).toBe(expected.join(''))
    expect(Buffer.concat([...second.pieces([0, 5, 1199])]).toString()).toBe(expected[0] + expected[5] + expected[1199])
    expect(second.slice(3, 5, null, Buffer.from('head\n')).toString()).toBe('head\n' + expected[3] + expected[4])
    expect(second.lines).toBe(1200)
  })

  it('takes a line longer than a chunk whole, and a released text holds nothing', () => {
    const pool = new ChunkPool()
    const text = new CopyText(pool)
    const long = 'ü'.repeat(600_000) + '\n'
    text.add('short\n')
    text.add(long)
    text.add('after\n')
    expect(Buffer.concat([...text.pieces()]).toString()).toBe('short\n' + long + 'after\n')
    text.release()
    expect(text.lines).toBe(0)
    expect([...text.pieces()]).toEqual([])
  })

  it('keeps the line numbers of left-out lines in a slice', () => {
    const text = new CopyText(new ChunkPool())
    for (const line of ['a\n', 'b\n', 'c\n']) text.add(line)
    expect(text.slice(0, 3, Uint8Array.from([1, 0, 1])).toString()).toBe('a\n\nc\n')
  })
})
