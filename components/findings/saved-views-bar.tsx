'use client'

import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import type { SavedView } from '@/lib/views/saved-views'

function sameQuery(a: string, b: string): boolean {
  const sorted = (q: string) => [...new URLSearchParams(q).entries()].map(([k, v]) => `${k}=${v}`).sort().join('&')
  return sorted(a) === sorted(b)
}

/** Quick filters every queue has (mine, unassigned, awaiting review) and the user's own views. */
export function SavedViewsBar({ builtIn, saved }: { builtIn: SavedView[]; saved: SavedView[] }) {
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const [naming, setNaming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const current = params.toString()

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const name = String(new FormData(event.currentTarget).get('name') ?? '')
    const result = await sendJson('POST', '/api/saved-views', { name, query: current })
    if (!result.ok) return setError(result.error)
    setNaming(false)
    setError(null)
    router.refresh()
  }
  const remove = async (view: SavedView) => {
    const result = await sendJson('DELETE', `/api/saved-views/${view.id}`)
    if (!result.ok) return setError(result.error)
    router.refresh()
  }

  return (
    <nav className="views-bar" aria-label="Views">
      <span className="muted">Views:</span>
      <Link href={pathname} aria-current={current === ''}>
        All findings
      </Link>
      {builtIn.map((view) => (
        <Link key={view.name} href={`/findings?${view.query}`} aria-current={sameQuery(current, view.query)}>
          {view.name}
        </Link>
      ))}
      {saved.map((view) => (
        <span key={view.id} style={{ display: 'inline-flex', alignItems: 'center', gap: 2 }}>
          <Link href={`/findings?${view.query}`} aria-current={sameQuery(current, view.query)}>
            {view.name}
          </Link>
          <button type="button" onClick={() => remove(view)} aria-label={`Delete the view ${view.name}`} style={{ padding: '0 6px', fontSize: '0.75rem' }}>
            ×
          </button>
        </span>
      ))}
      {naming ? (
        <form onSubmit={save} style={{ display: 'inline-flex', gap: 4 }}>
          <input type="text" name="name" placeholder="Name of this view" required maxLength={80} autoFocus aria-label="Name of this view" />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)} disabled={current === ''} title={current === '' ? 'Filter or sort the table first' : undefined}>
          Save this view
        </button>
      )}
      {error && (
        <span className="error-box" role="alert">
          {error}
        </span>
      )}
    </nav>
  )
}
