/**
 * What a page or an API response shows of one log value. Usernames, user agents and app names
 * are attacker-chosen and may be up to the ingest field limit (1 MiB by default): rendered whole,
 * one such value made an IP's page 839 MB of HTML. Longer values are cut with an ellipsis that
 * states the full length; the stored value is untouched (exports of the original record keep it).
 */
export const DISPLAY_MAX_CHARS = 2000

/** Longest string value of an original record shown in the raw record view. */
export const RECORD_VALUE_MAX_CHARS = 10_000

export function capText(value: string, max = DISPLAY_MAX_CHARS): string {
  if (value.length <= max) return value
  return `${value.slice(0, max)}… [${value.length.toLocaleString('en-US')} characters in all; shortened for display]`
}

export function capNullable(value: string | null, max = DISPLAY_MAX_CHARS): string | null {
  return value === null ? null : capText(value, max)
}

export function capAll(values: readonly string[], max = DISPLAY_MAX_CHARS): string[] {
  return values.map((v) => capText(v, max))
}

/**
 * An original record (JSON text) for display: every string value in it cut to
 * RECORD_VALUE_MAX_CHARS, so it stays valid JSON. Says whether anything was cut.
 */
export function capRecordJson(raw: string, max = RECORD_VALUE_MAX_CHARS): { raw: string; shortened: boolean } {
  if (raw.length <= max) return { raw, shortened: false }
  let shortened = false
  try {
    const capped = JSON.stringify(JSON.parse(raw, (_key, value: unknown) => {
      if (typeof value === 'string' && value.length > max) {
        shortened = true
        return capText(value, max)
      }
      return value
    }))
    return { raw: capped, shortened }
  } catch {
    return { raw: capText(raw, max), shortened: true }
  }
}
