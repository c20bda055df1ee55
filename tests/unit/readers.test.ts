import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readCsv } from '@/lib/ingest/readers/csv'
import { readJsonDocument } from '@/lib/ingest/readers/json-document'
import { readJsonLines } from '@/lib/ingest/readers/json-lines'
import type { ReadItem } from '@/lib/ingest/readers/read-item'

// The readers hand on records with where they were (line number, or record index in a JSON
// document); what cannot be read is reported there, and the records around it are kept.

function stream(text: string, chunkSize = text.length || 1): Readable {
  const bytes = Buffer.from(text)
  const parts: Buffer[] = []
  for (let i = 0; i < bytes.length; i += chunkSize) parts.push(bytes.subarray(i, i + chunkSize))
  return Readable.from(parts, { objectMode: false })
}

/** R<position>:<record JSON> or U<position>:<error> (! when fatal). */
async function collect(items: AsyncIterable<ReadItem>): Promise<string[]> {
  const out: string[] = []
  for await (const item of items) out.push('error' in item ? `U${item.position}:${item.error}${item.fatal ? '!' : ''}` : `R${item.position}:${JSON.stringify(item.record)}`)
  return out
}

const doc = (text: string, top = true, chunk?: number) => collect(readJsonDocument(stream(text, chunk), top))

describe('JSON documents', () => {
  it('streams the elements of a top-level array, whatever the chunking', async () => {
    const text = '[ {"a":1}, {"b":"x,]}\\"y","n":[1,{"c":2}]},\n{"é":"日本"} ]'
    const expected = ['R1:{"a":1}', 'R2:{"b":"x,]}\\"y","n":[1,{"c":2}]}', 'R3:{"é":"日本"}']
    for (const chunk of [1, 2, 3, 7, 1000]) expect(await doc(text, true, chunk), `chunks of ${chunk}`).toEqual(expected)
  })

  it('reads the array under "value" or "records" and ignores the other members', async () => {
    const page = '{"@odata.context":"x","other":[{"no":1}],"value":[{"id":1},{"id":2}],"@odata.nextLink":"https://g/?a=[1]"}'
    expect(await doc(page, false)).toEqual(['R1:{"id":1}', 'R2:{"id":2}'])
    expect(await doc('{"records":[{"id":1}]}', false, 3)).toEqual(['R1:{"id":1}'])
    expect(await doc('{"meta":{"value":[{"nested":1}]},"records":[{"id":1}]}', false)).toEqual(['R1:{"id":1}'])
    expect(await doc('{"name":"x"}', false)).toEqual([])
  })

  it('rejects an element that is not an object, keeping the others', async () => {
    expect(await doc('[1, "a,]", null, {"x":1}, [2]]')).toEqual([
      'U1:array element is not a JSON object',
      'U2:array element is not a JSON object',
      'U3:array element is not a JSON object',
      'R4:{"x":1}',
      'U5:array element is not a JSON object',
    ])
  })

  it('keeps the records before a syntax error mid-file and reports where reading stopped', async () => {
    const records = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i + 1 }))
    // a missing comma after record 3
    const text = `[\n${records.slice(0, 3).join(',\n')}\n${records.slice(3).join(',\n')}\n]`
    for (const chunk of [1, 16, 100_000]) {
      expect(await doc(text, true, chunk), `chunks of ${chunk}`).toEqual([
        'R1:{"id":1}',
        'R2:{"id":2}',
        'R3:{"id":3}',
        'U4:JSON syntax error after record 3 (line 5): expected "," or "]" after a record; the rest of the file could not be read!',
      ])
    }
  })

  it('keeps the records of a truncated file and says it is truncated', async () => {
    expect(await doc('[{"id":1},{"id":2},{"id":3,"user":"a@cont')).toEqual([
      'R1:{"id":1}',
      'R2:{"id":2}',
      'U3:JSON syntax error after record 2 (line 1): unexpected end of file (the document is truncated); the rest of the file could not be read!',
    ])
  })

  it('stops at mismatched brackets', async () => {
    expect(await doc('[{"id":1},{"id":[2}]')).toEqual(['R1:{"id":1}', 'U2:JSON syntax error after record 1 (line 1): "}" does not close "["; the rest of the file could not be read!'])
  })

  it('rejects one record with invalid JSON inside intact brackets and reads on', async () => {
    const items = await doc('[{"id":1},{"id": oops},{"id":3}]')
    expect(items[0]).toBe('R1:{"id":1}')
    expect(items[1]).toMatch(/^U2:record is not valid JSON: /)
    expect(items[2]).toBe('R3:{"id":3}')
  })

  it('passes an input error on instead of reporting it as a syntax error', async () => {
    async function* failing() {
      yield Buffer.from('[{"id":1},{"id":2},')
      throw new Error('connection reset')
    }
    const items: string[] = []
    const error = await (async () => {
      for await (const item of readJsonDocument(Readable.from(failing(), { objectMode: false }), true)) items.push('error' in item ? item.error : 'record')
    })().catch((e: unknown) => e)
    expect((error as Error).message).toBe('connection reset')
    expect(items.filter((i) => i !== 'record')).toEqual([])
  })
})

describe('JSON Lines', () => {
  const lines = (text: string, chunk?: number) => collect(readJsonLines(stream(text, chunk)))

  it('numbers records by line, blank lines counted, CRLF accepted', async () => {
    expect(await lines('{"a":1}\r\n\r\n{"b":2}\r\n', 3)).toEqual(['R1:{"a":1}', 'R3:{"b":2}'])
  })

  it('rejects a line that is not JSON, or not an object, and keeps the lines around it', async () => {
    const items = await lines('{"a":1}\n{"b":2, broken\n[1,2]\n{"c":3}')
    expect(items[0]).toBe('R1:{"a":1}')
    expect(items[1]).toMatch(/^U2:not valid JSON: /)
    expect(items[2]).toBe('U3:line is not a JSON object')
    expect(items[3]).toBe('R4:{"c":3}')
  })

  it('unpacks an envelope per line ({"records": [...]} or {"value": [...]}) with the line number of the envelope', async () => {
    expect(await lines('{"records":[{"a":1},{"a":2}]}\n{"value":[{"b":1},7]}\n')).toEqual([
      'R1:{"a":1}',
      'R1:{"a":2}',
      'R2:{"b":1}',
      'U2:array element is not a JSON object',
    ])
  })

  it('passes an input error on', async () => {
    async function* failing() {
      yield Buffer.from('{"a":1}\n{"a":2}\n')
      await new Promise((resolve) => setTimeout(resolve, 5))
      throw new Error('connection reset')
    }
    const read = collect(readJsonLines(Readable.from(failing(), { objectMode: false })))
    await expect(read).rejects.toThrow('connection reset')
  })
})

describe('CSV', () => {
  const rows = async (text: string, chunk?: number) => {
    let header: string[] = []
    const items = await collect(readCsv(stream(text, chunk), (h) => (header = h)))
    return { header, items }
  }

  it('keys records by header, numbering duplicate names, with the line each record starts on', async () => {
    const { header, items } = await rows('a,b,a\r\n1,2,3\r\n4,"x\ny",6\r\n7,8,9\r\n', 4)
    expect(header).toEqual(['a', 'b', 'a #2'])
    expect(items).toEqual(['R2:{"a":"1","b":"2","a #2":"3"}', 'R3:{"a":"4","b":"x\\ny","a #2":"6"}', 'R5:{"a":"7","b":"8","a #2":"9"}'])
  })

  // Log Analytics exports are CRLF with multi-line JSON cells in every row: counting each CRLF
  // as two lines (as csv-parse's info.lines does) would put every later row further down.
  it('counts a CRLF inside a quoted cell as one line', async () => {
    const { items } = await rows('a,b,a\r\n1,"x\r\ny",3\r\n4,5,6\r\n')
    expect(items).toEqual(['R2:{"a":"1","b":"x\\r\\ny","a #2":"3"}', 'R4:{"a":"4","b":"5","a #2":"6"}'])
  })

  it('rejects a row with the wrong number of fields, with its line number, and keeps the others', async () => {
    const { items } = await rows('a,b,c\n1,2,3\n"multi\nline",2,3\n1,2\n1,2,3,4\n7,8,9\n')
    expect(items).toEqual([
      'R2:{"a":"1","b":"2","c":"3"}',
      'R3:{"a":"multi\\nline","b":"2","c":"3"}',
      'U5:expected 3 fields as in the header, found 2',
      'U6:expected 3 fields as in the header, found 4',
      'R7:{"a":"7","b":"8","c":"9"}',
    ])
  })

  // Blank lines are skipped, but they are lines of the file: the bad row is on line 4.
  it('gives the right line number to a row that follows a blank line', async () => {
    const { items } = await rows('a,b\n1,2\n\n1,2,3\n')
    expect(items).toEqual(['R2:{"a":"1","b":"2"}', 'U4:expected 2 fields as in the header, found 3'])
  })

  it('counts a lone LF in a cell of a CRLF file as one line, quoted or not', async () => {
    // Unquoted, csv-parse keeps it in the cell, and the reader hands the file to csv-parse there.
    for (const cell of ['"x\ny"', 'x\ny']) {
      for (const chunk of [1, 5, 100]) {
        const { items } = await rows(`a,b\r\n1,${cell}\r\n3,4\r\n5\r\n`, chunk)
        expect(items, `${cell}, chunks of ${chunk}`).toEqual(['R2:{"a":"1","b":"x\\ny"}', 'R4:{"a":"3","b":"4"}', 'U5:expected 2 fields as in the header, found 1'])
      }
    }
  })

  it('gives the right line number to a row after blank lines when csv-parse reads the file', async () => {
    // The lone CR (in an LF file) hands the rest of the file to csv-parse.
    for (const chunk of [1, 4, 100]) {
      const { items } = await rows('a,b\n1,x\ry\n\n\n1,2,3\n4,5\n', chunk)
      expect(items, `chunks of ${chunk}`).toEqual(['R2:{"a":"1","b":"x\\ry"}', 'U6:expected 2 fields as in the header, found 3', 'R7:{"a":"4","b":"5"}'])
    }
  })

  it('reports a broken record at the line it starts on, and its fault at the line the fault is on', async () => {
    const text = 'a,b\r\n"x\r\ny",2\r\n"p\r\nq"r,"s\r\nt"\r\n\r\n3,x"y\r\n5,6\r\n'
    for (const chunk of [1, 6, 100]) {
      const { items } = await rows(text, chunk)
      expect(items, `chunks of ${chunk}`).toEqual([
        'R2:{"a":"x\\r\\ny","b":"2"}',
        // csv-parse reads on inside the quotes and finds a second fault ("s") in the same record:
        // one rejected record, with its first fault.
        'U4:malformed CSV: Invalid Closing Quote: got "r" at line 5 instead of delimiter, record delimiter, trimable character (if activated) or comment',
        'U8:malformed CSV: Invalid Opening Quote: a quote is found on field 1 at line 8, value is "x"',
        'R9:{"a":"5","b":"6"}',
      ])
    }
  })
})
