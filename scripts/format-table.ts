/** A plain-text table for terminals; long cells are cut so rows stay on one line. */
export function formatTable(headers: string[], rows: string[][], maxCell = 40): string {
  const cut = (text: string) => (text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text)
  const cells = [headers, ...rows].map((row) => row.map((c) => cut(c.replace(/[\r\n\t]/g, ' '))))
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)))
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')
}
