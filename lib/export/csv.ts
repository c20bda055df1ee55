import { stringify } from 'csv-stringify/sync'

/**
 * CSV for spreadsheets. Usernames and user agents are attacker-chosen, so:
 * - a cell that a spreadsheet would read as a formula (starting with =, +, -, @, their
 *   full-width forms, tab, CR or LF, also after leading spaces) gets a leading apostrophe
 *   (OWASP "CSV injection");
 * - every cell holding a CR or LF is quoted. csv-stringify quotes only the record delimiter
 *   (CRLF) by default, so a lone LF went out unquoted and its next physical line became a new
 *   record whose first cell was never neutralised.
 */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/

export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = Array.isArray(value) ? value.join(' ') : String(value)
  return FORMULA_START.test(text) ? `'${text}` : text
}

export function toCsv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([headers.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], {
    record_delimiter: '\r\n',
    quote_record_delimiter: true,
    quoted_match: /[\r\n]/,
  })
}
