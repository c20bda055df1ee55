/**
 * Suppression patterns use `*` for "anything" and compare case-insensitively. SIEM languages
 * match with regular expressions, so a pattern becomes an anchored regex whose literal parts are
 * escaped; control characters become \xHH so no string or regex literal can be broken by them.
 */

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/

function escapeRegexChar(char: string, escapeSlash: boolean): string {
  const code = char.charCodeAt(0)
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`
  if (REGEX_SPECIAL.test(char) || (escapeSlash && char === '/')) return `\\${char}`
  return char
}

/** `svc-*@contoso.com` → `^svc-.*@contoso\.com$`; `escapeSlash` for /…/ regex literals (LogScale). */
export function wildcardRegex(pattern: string, options: { escapeSlash?: boolean } = {}): string {
  const literal = (part: string) => [...part].map((char) => escapeRegexChar(char, options.escapeSlash ?? false)).join('')
  return `^${pattern.split('*').map(literal).join('.*')}$`
}
