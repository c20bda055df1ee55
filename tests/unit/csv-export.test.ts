import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { neutraliseCell, toCsv } from '@/lib/export/csv'

describe('CSV export', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    for (const dangerous of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil")']) {
      expect(neutraliseCell(dangerous)).toBe(`'${dangerous}`)
    }
    for (const harmless of ['alice@contoso.com', 'a=b', '1-2', 'Mozilla/5.0', '']) expect(neutraliseCell(harmless)).toBe(harmless)
  })

  it('quotes commas, quotes and newlines so every row reads back intact', () => {
    const rows = [['=evil(),"x"', 'line\nbreak', 3]]
    const csv = toCsv(['a', 'b', 'c'], rows)
    expect(parse(csv)).toEqual([
      ['a', 'b', 'c'],
      [`'=evil(),"x"`, 'line\nbreak', '3'],
    ])
  })
})
