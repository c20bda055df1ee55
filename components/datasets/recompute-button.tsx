'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'

/** Retries a dataset's failed recompute (leads and admins). */
export function RecomputeButton({ datasetId, full = false, label = 'Retry' }: { datasetId: number; full?: boolean; label?: string }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const retry = async () => {
    setBusy(true)
    setError(null)
    const response = await fetch(`/api/datasets/${datasetId}/recompute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ full }) })
    setBusy(false)
    if (!response.ok) {
      setError(((await response.json().catch(() => null)) as { error?: string } | null)?.error ?? `${response.status} ${response.statusText}`)
      return
    }
    router.refresh()
  }
  return (
    <>
      <button type="button" onClick={retry} disabled={busy} data-testid="recompute-button">
        {busy ? 'Starting…' : label}
      </button>
      {error && <span className="error-box" role="alert">{error}</span>}
    </>
  )
}

/** While findings are being updated, reloads the page's data every few seconds. */
export function RefreshWhileUpdating({ everyMs = 3000 }: { everyMs?: number }) {
  const router = useRouter()
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs)
    return () => clearInterval(timer)
  }, [router, everyMs])
  return null
}
