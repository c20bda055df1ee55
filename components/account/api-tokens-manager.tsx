'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { formatUtc } from '@/components/ui/format'
import type { ApiTokenSummary } from '@/lib/auth/api-tokens'
import { ROLES, atLeast, type Role } from '@/lib/auth/roles'

/** Your tokens for scripts: create (the secret is shown once), see when each was used, revoke. */
export function ApiTokensManager({ tokens, role }: { tokens: ApiTokenSummary[]; role: Role }) {
  const router = useRouter()
  const [secret, setSecret] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    // React clears currentTarget once the handler yields: keep the element for the reset below.
    const element = event.currentTarget
    const form = new FormData(element)
    const expires = String(form.get('expires') ?? '')
    const result = await sendJson('POST', '/api/tokens', { name: form.get('name'), role: form.get('role'), expiresAt: expires ? new Date(`${expires}T00:00:00Z`).toISOString() : null })
    if (!result.ok) return setError(result.error)
    setError(null)
    setSecret((result.data as { token: string }).token)
    element.reset()
    router.refresh()
  }
  const revoke = async (id: number) => {
    const result = await sendJson('DELETE', `/api/tokens/${id}`)
    if (!result.ok) return setError(result.error)
    router.refresh()
  }

  return (
    <section aria-label="API tokens" data-testid="api-tokens">
      <h2>API tokens</h2>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with the role you give it (never more than yours).
      </p>
      {secret && (
        <div className="notice" role="status">
          <strong>Copy this token now; it is not shown again.</strong>
          <div className="token-secret" data-testid="new-token">
            {secret}
          </div>
        </div>
      )}
      <form onSubmit={create} className="toolbar">
        <label>
          Name
          <input type="text" name="name" required maxLength={100} placeholder="e.g. nightly export" />
        </label>
        <label>
          Role
          <select name="role" defaultValue={role}>
            {ROLES.filter((r) => atLeast(role, r)).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires (optional)
          <input type="date" name="expires" />
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      {tokens.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Starts with</th>
              <th>Role</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td className="mono">{t.prefix}…</td>
                <td>{t.role}</td>
                <td>{formatUtc(t.createdAt, 'minute')}</td>
                <td>{t.lastUsedAt ? formatUtc(t.lastUsedAt, 'minute') : 'never'}</td>
                <td>{t.expiresAt ? formatUtc(t.expiresAt, 'minute') : 'never'}</td>
                <td>{t.revokedAt ? <span className="muted">revoked</span> : <button type="button" onClick={() => revoke(t.id)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
