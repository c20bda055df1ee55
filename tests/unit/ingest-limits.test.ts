import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { InputLimitError, type IngestLimits } from '@/lib/ingest/ingest-limits'
import { readCsv } from '@/lib/ingest/readers/csv'
import { readJsonDocument } from '@/lib/ingest/readers/json-document'
import { readJsonLines } from '@/lib/ingest/readers/json-lines'
import type { ReadItem } from '@/lib/ingest/readers/read-item'

// Caps on a line, a record, a field and the columns: what is beyond them is rejected where it
// was, alone, and the records around it are read as before, whatever the chunking.

const limits: IngestLimits = { maxRecordBytes: 100, maxFieldChars: 20, maxColumns: 5 }

function stream(text: string, chunkSize = text.length || 1): Readable {
  const bytes = Buffer.from(text)
  const parts: Buffer[] = []
  for (let i = 0; i < bytes.length; i += chunkSize) parts.push(bytes.subarray(i, i + chunkSize))
  return Readable.from(parts, { objectMode: false })
}

async function collect(items: AsyncIterable<ReadItem>): Promise<string[]> {
  const out: string[] = []
  for await (const item of items) out.push('error' in item ? `U${item.position}:${item.error.split(' ').slice(0, 3).join(' ')}` : `R${item.position}:${JSON.stringify(item.record)}`)
  return out
}

const CHUNKS = [1, 2, 3, 7, 33, 64, 101, 100_000]
const long = 'x'.repeat(150)

describe('JSON Lines', () => {
  it('rejects a line over the limit by its number and reads the lines around it', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['{"a":1}', `{"ua":"${long}"}`, '', '{"b":2}', `{"c":"${long}"}`].join(eol) + eol + '{"d":3}'
      for (const chunk of CHUNKS) {
        expect(await collect(readJsonLines(stream(text, chunk), limits)), `${JSON.stringify(eol)} chunks of ${chunk}`).toEqual([
          'R1:{"a":1}',
          'U2:line longer than',
          'R4:{"b":2}',
          'U5:line longer than',
          'R6:{"d":3}',
        ])
      }
    }
  })

  it('rejects an oversize last line without a line break', async () => {
    expect(await collect(readJsonLines(stream(`{"a":1}\n{"ua":"${long}"}`, 16), limits))).toEqual(['R1:{"a":1}', 'U2:line longer than'])
  })
})

describe('JSON documents', () => {
  it('rejects an element over the limit by its index and reads the others', async () => {
    const text = `[{"a":1},\n{"ua":"${long}"},\n"${long}",{"b":2}]`
    for (const chunk of CHUNKS) {
      expect(await collect(readJsonDocument(stream(text, chunk), true, limits)), `chunks of ${chunk}`).toEqual([
        'R1:{"a":1}',
        'U2:record longer than',
        'U3:record longer than',
        'R4:{"b":2}',
      ])
    }
    const page = `{"@odata.context":"${long}${long}","value":[{"a":1},{"ua":"${long}"},{"b":2}]}`
    expect(await collect(readJsonDocument(stream(page, 10), false, limits))).toEqual(['R1:{"a":1}', 'U2:record longer than', 'R3:{"b":2}'])
  })
})

describe('CSV', () => {
  const read = async (text: string, chunk?: number) => {
    let header: string[] = []
    const items = await collect(readCsv(stream(text, chunk), (h) => (header = h), limits))
    return { header, items }
  }

  it('rejects a record over the limit by the line it starts on; the lines after keep their numbers', async () => {
    for (const eol of ['\r\n', '\n']) {
      const text = ['a,b,c', '1,2,3', `4,"${'y'.repeat(60)}${eol}${'z'.repeat(60)}",6`, '7,8,9', `${long},x,y`, '', '10,"x""y",12'].join(eol) + eol
      for (const chunk of CHUNKS) {
        const { header, items } = await read(text, chunk)
        expect(header).toEqual(['a', 'b', 'c'])
        expect(items, `${JSON.stringify(eol)} chunks of ${chunk}`).toEqual([
          'R2:{"a":"1","b":"2","c":"3"}',
          'U3:CSV record longer',
          'R5:{"a":"7","b":"8","c":"9"}',
          'U6:CSV record longer',
          'R8:{"a":"10","b":"x\\"y","c":"12"}',
        ])
      }
    }
  })

  it('also in a file csv-parse reads (a stray quote made it irregular)', async () => {
    const text = ['a,b,c', '1,2,3', 'bro"ken,2,3', `${long},x,y`, '7,8,9'].join('\n') + '\n'
    for (const chunk of [1, 5, 100_000]) {
      const { items } = await read(text, chunk)
      expect(items[0]).toBe('R2:{"a":"1","b":"2","c":"3"}')
      expect(items[1]).toMatch(/^U3:malformed CSV/)
      expect(items.slice(2), `chunks of ${chunk}`).toEqual(['U4:CSV record longer', 'R5:{"a":"7","b":"8","c":"9"}'])
    }
  })

  it('rejects a row with a field over the limit, naming the column', async () => {
    const { items } = await read(`a,b,c\n1,${'w'.repeat(21)},3\n4,5,6\n`)
    expect(items).toEqual(['U2:the "b" field', 'R3:{"a":"4","b":"5","c":"6"}'])
  })

  it('refuses a header with too many columns, or longer than the record limit', async () => {
    await expect(read('a,b,c,d,e,f\n1,2,3,4,5,6\n')).rejects.toThrow(InputLimitError)
    await expect(read('a,b,c,d,e,f\n1,2,3,4,5,6\n')).rejects.toThrow(/6 columns; the limit is 5/)
    await expect(read(`${long}\n1\n`, 7)).rejects.toThrow(/CSV header \(line 1\) is longer than 100 bytes/)
  })
})
