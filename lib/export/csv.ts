import { stringify } from 'csv-stringify/sync'

/**
 * CSV for spreadsheets. Usernames and user agents are attacker-chosen, so a cell that a
 * spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage return) is
 * neutralised with a leading apostrophe (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = Array.isArray(value) ? value.join(' ') : String(value)
  return FORMULA_START.test(text) ? `'${text}` : text
}

export function toCsv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([headers.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], { record_delimiter: '\r\n' })
}
