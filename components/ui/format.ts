/** Display formats shared by the pages. Times are always shown in UTC, as the logs record them. */

export function formatUtc(iso: string | null | undefined, precision: 'minute' | 'second' | 'ms' = 'second'): string {
  if (!iso) return '—'
  const text = iso.replace('T', ' ').replace('Z', '')
  const cut = precision === 'minute' ? 16 : precision === 'second' ? 19 : 23
  return `${text.slice(0, cut)} UTC`
}

export function formatHour(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US')
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  const seconds = ms / 1000
  if (seconds < 90) return `${seconds.toFixed(1)} s`
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
}
