'use client'

import { useEffect, useId, useRef, type ReactNode } from 'react'

/**
 * An in-page confirmation for what cannot be undone. Focus starts on Cancel, so Enter
 * or a stray double click never confirms; Escape and the backdrop cancel; Tab stays inside the
 * dialog while it is open and focus goes back to whatever opened it afterwards, so a keyboard
 * user does not land at the top of the page.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
  testId,
}: {
  title: ReactNode
  children: ReactNode
  confirmLabel: string
  busyLabel?: string
  busy?: boolean
  error?: string | null
  onConfirm: () => void
  onCancel: () => void
  testId?: string
}) {
  const id = useId()
  const dialogRef = useRef<HTMLDivElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  // Read through a ref so a parent's inline handler does not re-run the effect (and steal focus back to Cancel) on every render.
  const cancel = useRef(onCancel)
  useEffect(() => {
    cancel.current = onCancel
  })

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    cancelRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') return cancel.current()
      if (e.key !== 'Tab' || !dialogRef.current) return
      const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input, select, textarea')]
      if (focusable.length === 0) return
      const first = focusable[0]
      const last = focusable[focusable.length - 1]
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault()
        first.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      // The opener may be gone (its row deleted); focusing a detached node would do nothing useful.
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onCancel}>
      <div
        ref={dialogRef}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        onClick={(e) => e.stopPropagation()}
        data-testid={testId}
      >
        <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
          {title}
        </h2>
        <div id={`${id}-description`}>{children}</div>
        {error && (
          <p className="error-box" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" ref={cancelRef} onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
            {busy && busyLabel ? busyLabel : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  )
}
