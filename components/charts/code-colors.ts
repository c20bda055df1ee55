/**
 * One colour per error code across every chart, so 50034 looks the same everywhere. The codes
 * seen together in an attack (50034, 50053, 50055, 50056, 50126) get hues far apart, not two
 * oranges.
 */
const KNOWN: Record<string, string> = {
  '50034': '#6e7781', // not found
  '50053': '#b42318', // locked: account exists
  '50055': '#8250df', // expired password: password was right
  '50056': '#d4760a', // invalid/null password: account exists
  '50126': '#0e8a8a', // invalid username or password (older tenants): teal, far from 50056's orange
  '0': '#1a7f37',
  '50076': '#0969da',
  '50074': '#54aeff',
  '50140': '#8c959f',
}
const PALETTE = ['#1b7c83', '#a40e26', '#6639ba', '#953800', '#116329', '#0550ae', '#7d4e00', '#4d2d00']

export function codeColor(code: string): string {
  if (KNOWN[code]) return KNOWN[code]
  let hash = 0
  for (const c of code) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length]
}

export const TIER_COLORS = { high: '#b42318', moderate: '#f5a524', low: '#e3c400' } as const
