import { PORTAL_HEADER_2024 } from './export-headers'
import { csvLine } from './read-log'

/**
 * A portal CSV of 12 records, 4 of them broken in different ways (issue 13: it once reported
 * "Read 14, Inserted 8, Rejected 6", one broken line counted three times): a field with stray
 * quotes inside its quotes (two faults in one record), a date that is not one, a line with two
 * cells too many and one with most of its cells missing. The 8 good ones are failed sign-ins of distinct users from one IP.
 */
export function brokenPortalCsv(ip: string, idPrefix: string): string {
  const start = Date.parse('2026-02-20T08:00:00Z')
  const cells = (i: number, overrides: Record<string, string> = {}) => {
    const row: Record<string, string> = {
      'Date (UTC)': new Date(start + i * 1000).toISOString(),
      'Request ID': `${idPrefix}-${String(i + 1).padStart(4, '0')}`,
      'User agent': 'Mozilla/5.0',
      Username: `broken${i + 1}@contoso.com`,
      Application: 'Azure Active Directory PowerShell',
      'IP address': ip,
      'Sign-in error code': '50034',
      'Client app': 'Mobile Apps and Desktop clients',
      ...overrides,
    }
    return PORTAL_HEADER_2024.map((name) => row[name] ?? '')
  }
  const lines = [csvLine(PORTAL_HEADER_2024)]
  for (let i = 0; i < 12; i++) {
    if (i === 2) {
      // "us"er"x…": csv-parse meets a bad closing quote twice in this one record.
      const line = csvLine(cells(i))
      lines.push(line.replace(`"broken${i + 1}@contoso.com"`, `"us"er"x${i + 1}@contoso.com"`))
    } else if (i === 5) lines.push(csvLine(cells(i, { 'Date (UTC)': 'yesterday' })))
    else if (i === 8) lines.push(csvLine([...cells(i), 'extra', 'cells']))
    else if (i === 10) lines.push(csvLine(cells(i).slice(0, 3)))
    else lines.push(csvLine(cells(i)))
  }
  return lines.join('\r\n') + '\r\n'
}
