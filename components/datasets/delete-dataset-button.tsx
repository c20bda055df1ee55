'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { formatNumber } from '@/components/ui/format'

/** Deleting a dataset removes its events and findings for good, so it asks first. */
export function DeleteDatasetButton({ id, name, events }: { id: number; name: string; events: number }) {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const remove = async () => {
    setBusy(true)
    setError(null)
    const response = await fetch(`/api/datasets/${id}`, { method: 'DELETE' })
    setBusy(false)
    if (!response.ok) {
      setError(((await response.json().catch(() => null)) as { error?: string } | null)?.error ?? `${response.status} ${response.statusText}`)
      return
    }
    router.push('/datasets')
    router.refresh()
  }

  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Delete dataset
      </button>
      {open && (
        <ConfirmDialog
          title={<>Delete “{name}”?</>}
          confirmLabel="Delete for good"
          busyLabel="Deleting…"
          busy={busy}
          error={error}
          onConfirm={remove}
          onCancel={() => setOpen(false)}
        >
          <p>This deletes its {formatNumber(events)} sign-in events, its imports and its findings. It cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  )
}
