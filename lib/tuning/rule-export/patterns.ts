/**
 * Suppression patterns use `*` for "anything" and compare case-insensitively. SIEM languages
 * match with regular expressions, so a pattern becomes an anchored regex whose literal parts are
 * escaped; control characters become \xHH (U+2028/U+2029 \x{HHHH}) so no string or regex literal
 * can be broken by them.
 */

/**
 * Characters that end a line somewhere (C0 with CR and LF, NEL in C1, U+2028/U+2029) or cannot be
 * written as they are: none may appear raw inside an exported literal or comment.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/

function escapeRegexChar(char: string, escapeSlash: boolean): string {
  const code = char.charCodeAt(0)
  // \xHH and \x{HHHH} read the same in RE2 (KQL), PCRE (Splunk) and Java-style (LogScale) regexes.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code === 0x2028 || code === 0x2029) return `\\x{${code.toString(16)}}`
  if (REGEX_SPECIAL.test(char) || (escapeSlash && char === '/')) return `\\${char}`
  return char
}

function literalRegex(text: string, escapeSlash: boolean): string {
  return [...text].map((char) => escapeRegexChar(char, escapeSlash)).join('')
}

/** `svc-*@contoso.com` → `^svc-.*@contoso\.com$`; `escapeSlash` for /…/ regex literals (LogScale). */
export function wildcardRegex(pattern: string, options: { escapeSlash?: boolean } = {}): string {
  return `^${pattern
    .split('*')
    .map((part) => literalRegex(part, options.escapeSlash ?? false))
    .join('.*')}$`
}

/** An anchored regex matching exactly `text` (case-sensitive unless the caller adds a flag). */
export function exactRegex(text: string, options: { escapeSlash?: boolean } = {}): string {
  return `^${literalRegex(text, options.escapeSlash ?? false)}$`
}
