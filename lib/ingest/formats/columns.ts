/**
 * CSV headers drift: trailing spaces ("Application ID "), double spaces ("Autonomous system  number"),
 * duplicates ("Incoming token type" twice) and new columns over time. Columns are found by a
 * canonical name (trimmed, whitespace collapsed, case-folded), never by position.
 */
export function canonicalColumn(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase()
}

/** Maps canonical names to the record keys the CSV reader produced (first occurrence wins). */
export function columnIndex(headers: readonly string[]): Map<string, string> {
  const index = new Map<string, string>()
  for (const header of headers) {
    const canonical = canonicalColumn(header.replace(/ #\d+$/, ''))
    if (!index.has(canonical)) index.set(canonical, header)
  }
  return index
}

export function hasColumns(index: Map<string, string>, ...names: string[]): boolean {
  return names.every((name) => index.has(canonicalColumn(name)))
}
