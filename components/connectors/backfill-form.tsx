'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'

/**
 * "Pull this window into the dataset": a one-off backfill beside the schedule. Dates are whole
 * UTC days, the last one included; the server checks the window against the service's retention.
 */
export function BackfillForm({ connectorId, retention, enabled }: { connectorId: number; retention: string; enabled: boolean }) {
  const router = useRouter()
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    setBusy(true)
    const result = await sendJson('POST', `/api/connectors/${connectorId}/backfill`, { from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') })
    setBusy(false)
    if (!result.ok) return setMessage({ ok: false, text: result.error })
    const started = result.data as { runId: number; from: string; to: string }
    setMessage({ ok: true, text: `backfill run ${started.runId} started: ${started.from} – ${started.to}` })
    router.refresh()
  }

  return (
    <form onSubmit={submit} className="panel" aria-label="Pull a window" data-testid="backfill-form" style={{ maxWidth: 760 }}>
      <h2 style={{ marginTop: 0 }}>Pull a window</h2>
      <p className="muted">
        A one-off pull of the sign-ins between two days (UTC, both included) into this connector’s dataset, beside the schedule: the schedule’s position does not move, and events already
        stored are not stored again. {retention}.
      </p>
      <div className="toolbar" style={{ margin: 0 }}>
        <label>
          From
          <input type="date" name="from" required />
        </label>
        <label>
          To
          <input type="date" name="to" required />
        </label>
        <button type="submit" disabled={busy || !enabled}>
          Pull window
        </button>
      </div>
      {message && (
        <p className={message.ok ? 'notice' : 'error-box'} role="status" data-testid="backfill-message">
          {message.text}
        </p>
      )}
    </form>
  )
}
