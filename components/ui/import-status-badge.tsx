/**
 * An import's status as a badge. An import that kept its good rows but rejected others has
 * succeeded, yet asks for a look: it says so, in the warning colour, not the green of a clean one.
 */
const LABEL: Record<string, string> = {
  queued: 'queued',
  running: 'running',
  uploading: 'uploading',
  succeeded: 'imported',
  failed: 'failed',
  not_applicable: 'not applicable',
}

export function importStatusLabel(status: string, rowsRejected: number): string {
  if (status === 'succeeded' && rowsRejected > 0) return 'succeeded with rejected rows'
  return LABEL[status] ?? status.replace('_', ' ')
}

export function ImportStatusBadge({ status, rowsRejected }: { status: string; rowsRejected: number }) {
  const warn = status === 'succeeded' && rowsRejected > 0
  const tone = status === 'failed' ? 'tier-high' : warn ? 'tier-low' : status === 'succeeded' ? 'missing' : 'neutral'
  return (
    <span className={`badge ${tone}`} data-testid="import-status" data-status={warn ? 'succeeded-with-rejections' : status}>
      {importStatusLabel(status, rowsRejected)}
    </span>
  )
}
