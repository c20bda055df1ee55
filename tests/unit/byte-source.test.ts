import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeInput, InputTooLargeError } from '@/lib/ingest/byte-source'

// The bytes of an input: counted and hashed as received, gunzipped when the content (not the
// name) is gzip, BOM removed, refused beyond maxDecodedBytes.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

async function* chunks(bytes: Buffer, size = bytes.length) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function* failingAfter(bytes: Buffer, error: Error) {
  yield bytes
  await new Promise((resolve) => setTimeout(resolve, 5))
  throw error
}

async function drain(content: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of content) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

const text = Buffer.from('"Date (UTC)","Request ID"\r\n"2026-03-02T10:14:07Z","a"\r\n')
const bom = Buffer.from([0xef, 0xbb, 0xbf])

describe('decodeInput', () => {
  it('passes plain content through, counting and hashing the bytes', async () => {
    const input = await decodeInput(chunks(text, 7))
    expect(input.gzip).toBe(false)
    expect(input.head.equals(text)).toBe(true)
    expect((await drain(input.content)).equals(text)).toBe(true)
    expect(input.stats.bytesRead).toBe(text.length)
    expect(input.stats.bytesDecoded).toBe(text.length)
    expect(input.stats.sha256()).toBe(sha256(text))
  })

  it('gunzips by magic bytes; bytes and hash are of the content as received', async () => {
    const gz = gzipSync(text)
    const input = await decodeInput(chunks(gz, 10))
    expect(input.gzip).toBe(true)
    expect(input.head.equals(text)).toBe(true)
    expect((await drain(input.content)).equals(text)).toBe(true)
    expect(input.stats.bytesRead).toBe(gz.length)
    expect(input.stats.bytesDecoded).toBe(text.length)
    expect(input.stats.sha256()).toBe(sha256(gz))
  })

  it('does not take content that merely starts with 0x1f for gzip', async () => {
    const odd = Buffer.from([0x1f, 0x41, 0x42])
    const input = await decodeInput(chunks(odd))
    expect(input.gzip).toBe(false)
    expect((await drain(input.content)).equals(odd)).toBe(true)
  })

  it('removes a UTF-8 BOM from head and content, also when it arrives one byte at a time', async () => {
    for (const size of [1, 2, 1000]) {
      const input = await decodeInput(chunks(Buffer.concat([bom, text]), size))
      expect(input.head.equals(text), `chunks of ${size}`).toBe(true)
      expect((await drain(input.content)).equals(text), `chunks of ${size}`).toBe(true)
      expect(input.stats.bytesRead).toBe(text.length + 3)
    }
  })

  it('removes a BOM inside gzip content', async () => {
    const input = await decodeInput(chunks(gzipSync(Buffer.concat([bom, text]))))
    expect(input.head.equals(text)).toBe(true)
    expect((await drain(input.content)).equals(text)).toBe(true)
  })

  it('keeps a BOM-like sequence that is not at the start', async () => {
    const inner = Buffer.concat([Buffer.from('a'), bom, Buffer.from('b')])
    expect((await drain((await decodeInput(chunks(inner))).content)).equals(inner)).toBe(true)
  })

  it('refuses a decompression bomb whose head already exceeds maxDecodedBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 'a'))
    expect(bomb.length).toBeLessThan(50_000)
    const error = await decodeInput(chunks(bomb), { maxDecodedBytes: 100_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputTooLargeError)
    expect((error as Error).message).toBe('content exceeds the limit of 100000 bytes after decompression')
  })

  it('refuses a decompression bomb while streaming, past the sniffed head', async () => {
    const bomb = gzipSync(Buffer.alloc(20_000_000, 'a'))
    const input = await decodeInput(chunks(bomb), { maxDecodedBytes: 1_000_000 })
    const error = await drain(input.content).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputTooLargeError)
    expect(input.stats.bytesDecoded).toBeLessThan(2_000_000)
  })

  it('applies the limit to plain content too', async () => {
    const error = await decodeInput(chunks(Buffer.alloc(10_000, 'a')), { maxDecodedBytes: 100 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputTooLargeError)
    expect((error as Error).message).toBe('content exceeds the limit of 100 bytes')
  })

  it('passes an input error on to the content stream, plain or gzip (not a hang, not an unhandled error)', async () => {
    const big = Buffer.alloc(600_000, 'x')
    for (const bytes of [big, gzipSync(Buffer.concat([big, big, big])).subarray(0, 2000)]) {
      // The error may come while decodeInput still reads ahead to sniff the content (the gzip
      // case decodes little from 2000 bytes), or later from the stream: either way it surfaces.
      const error = await decodeInput(failingAfter(bytes, new Error('connection reset')))
        .then((input) => drain(input.content))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe('connection reset')
    }
  })

  it('fails a truncated gzip stream instead of ending it quietly', async () => {
    const gz = gzipSync(Buffer.alloc(1_000_000, 'x'))
    const input = await decodeInput(chunks(gz.subarray(0, gz.length - 100)))
    await expect(drain(input.content)).rejects.toThrow(/unexpected end of file/)
  })
})

describe('decompression bombs', () => {
  // ~10 MB of gzip (many members of 64 MiB of newlines each), ~10 GB once decompressed.
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, '\n'), { level: 9 })
  const members = Math.ceil((10 * 1024 * 1024) / member.length)

  async function* bomb(): AsyncGenerator<Buffer> {
    for (let i = 0; i < members; i++) yield member
  }

  it('refuses on the expansion ratio as the bytes stream, long before the whole file is decoded', async () => {
    const input = await decodeInput(bomb(), { maxExpansionRatio: 200, maxDecodedBytes: 32 * 1024 ** 3 })
    const error = await drain(input.content).then(
      () => null,
      (e: Error) => e,
    )
    expect(error).toBeInstanceOf(InputTooLargeError)
    expect(error!.message).toMatch(/^refused as a decompression bomb: the content expands more than 200 times/)
    // Refused within the first tens of MiB of output (it was 2 GB: 200 × the whole file read ahead).
    expect(input.stats.bytesDecoded).toBeLessThan(64 * 1024 * 1024)
  })

  it('still takes a well-compressing real log (about 20×)', async () => {
    const rows = Array.from({ length: 400_000 }, (_, i) => `"2026-03-02T10:${String(i % 60).padStart(2, '0')}:07Z","req-${i}","user${i % 977}@contoso.com","${(i * 7919) % 100000}"\r\n`).join('')
    const gz = gzipSync(Buffer.from(rows))
    expect(rows.length / gz.length).toBeLessThan(200)
    const input = await decodeInput(chunks(gz, 1024 * 1024), { maxExpansionRatio: 200 })
    expect((await drain(input.content)).length).toBe(rows.length)
  })
})
