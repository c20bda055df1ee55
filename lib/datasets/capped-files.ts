/** Portal downloads stop at 100,000 rows: a file with exactly that many was probably cut. */
export const PORTAL_EXPORT_CAP = 100_000

const NAMED = 3

/**
 * The blind spot the files that hit the portal's cap make, as one line however many they are: a
 * month's export in 100 files gave 100 lines of the same advice (33 kB of the dataset page). The
 * completeness report lists every file.
 */
export function cappedFilesSpot(files: readonly string[]): string | null {
  const cap = PORTAL_EXPORT_CAP.toLocaleString('en-US')
  if (files.length === 0) return null
  if (files.length === 1) return `${files[0]} has exactly ${cap} rows, the portal's download cap: the export was probably cut; narrow its time range or use the API`
  const named = files.slice(0, NAMED).join(', ') + (files.length > NAMED ? ` and ${(files.length - NAMED).toLocaleString('en-US')} more` : '')
  return `${files.length.toLocaleString('en-US')} files have exactly ${cap} rows, the portal's download cap (${named}): their exports were probably cut; narrow their time ranges or use the API`
}
