import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { neutraliseCell, toCsv } from '@/lib/export/csv'
import { HOSTILE_CELLS, expectSpreadsheetSafe } from '../helpers/hostile-csv'

describe('CSV export', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    for (const dangerous of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\nx', ' =1+1', '\u3000=1', '\r\n@x', '＝1+1', '=HYPERLINK("http://evil")']) {
      expect(neutraliseCell(dangerous)).toBe(`'${dangerous}`)
    }
    for (const harmless of ['alice@contoso.com', 'a=b', '1-2', 'Mozilla/5.0', '', 'a\n=b']) expect(neutraliseCell(harmless)).toBe(harmless)
  })

  it('quotes commas, quotes and newlines so every row reads back intact', () => {
    const rows = [['=evil(),"x"', 'line\nbreak', 3]]
    const csv = toCsv(['a', 'b', 'c'], rows)
    expect(parse(csv)).toEqual([
      ['a', 'b', 'c'],
      [`'=evil(),"x"`, 'line\nbreak', '3'],
    ])
  })

  it('quotes a lone LF or CR, so a formula after a line break stays inside its cell', () => {
    // The attack: "x\n=cmd|' /C calc'!A0" unquoted made the next physical line a record starting with a formula.
    const csv = toCsv(['user', 'ua'], [['x\n=cmd|\' /C calc\'!A0', 'y\r+1'], ['plain', 'z']])
    expect(csv).toContain('"x\n=cmd')
    expect(csv).toContain('"y\r+1"')
    expect(parse(csv, { relax_column_count: false })).toEqual([
      ['user', 'ua'],
      ['x\n=cmd|\' /C calc\'!A0', 'y\r+1'],
      ['plain', 'z'],
    ])
  })

  it('reads back every hostile value, in every column, as exactly one spreadsheet-safe cell', () => {
    const rows = HOSTILE_CELLS.map((value, i) => [value, i, HOSTILE_CELLS[(i + 1) % HOSTILE_CELLS.length], `${value}${value}`])
    const csv = toCsv(['a', 'b', 'c', 'd'], rows)
    const records = expectSpreadsheetSafe(csv, 4)
    expect(records).toHaveLength(rows.length)
    records.forEach((record, i) => {
      expect(record[0]).toBe(neutraliseCell(HOSTILE_CELLS[i]))
      expect(record[1]).toBe(String(i))
    })
  })
})
