/** Number formatting for the bench's printout. */

export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

export function millis(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`
}

export function verdictLine(counts: Record<string, number>): string {
  const order = ['High Confidence Enumeration', 'Moderate Enumeration', 'Low-Level Enumeration']
  return order.map((v) => `${counts[v] ?? 0} ${v.split(' ')[0].replace('Low-Level', 'Low')}`).join(', ')
}

export function row(label: string, ...cells: string[]): string {
  return `  ${label.padEnd(38)}${cells.map((c) => c.padStart(16)).join('')}`
}
