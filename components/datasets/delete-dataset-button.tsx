'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState } from 'react'
import { formatNumber } from '@/components/ui/format'

/** Deleting a dataset removes its events and findings for good, so it asks first. */
export function DeleteDatasetButton({ id, name, events }: { id: number; name: string; events: number }) {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    cancelRef.current?.focus()
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])

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
        <div className="dialog-backdrop" role="presentation" onClick={() => setOpen(false)}>
          <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="delete-title" aria-describedby="delete-description" onClick={(e) => e.stopPropagation()}>
            <h2 id="delete-title" style={{ marginTop: 0 }}>
              Delete “{name}”?
            </h2>
            <p id="delete-description">
              This deletes its {formatNumber(events)} sign-in events, its imports and its findings. It cannot be undone.
            </p>
            {error && <p className="error-box">{error}</p>}
            <div className="actions">
              <button type="button" ref={cancelRef} onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={remove} disabled={busy}>
                {busy ? 'Deleting…' : 'Delete for good'}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  )
}
