'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { formatUtc } from '@/components/ui/format'
import { ROLE_DESCRIPTIONS, ROLES } from '@/lib/auth/roles'
import type { UserSummary } from '@/lib/auth/users'

/** Accounts: create, change role, disable or enable, set a new password. Every change is audited. */
export function UsersManager({ users, currentUserId }: { users: UserSummary[]; currentUserId: number }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<string | null>(null)

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    // React clears currentTarget once the handler yields: keep the element for the reset below.
    const element = event.currentTarget
    const form = new FormData(element)
    const password = String(form.get('password') ?? '')
    const result = await sendJson('POST', '/api/admin/users', {
      email: form.get('email'),
      displayName: String(form.get('displayName') ?? '') || undefined,
      role: form.get('role'),
      ...(password ? { password } : {}),
    })
    if (!result.ok) {
      setCreated(null)
      return setError(result.error)
    }
    setError(null)
    setCreated(String(form.get('email')))
    element.reset()
    router.refresh()
  }
  const change = async (id: number, body: Record<string, unknown>) => {
    const result = await sendJson('PATCH', `/api/admin/users/${id}`, body)
    if (!result.ok) return setError(result.error)
    setError(null)
    router.refresh()
  }

  return (
    <>
      <form onSubmit={create} className="panel form-grid" style={{ maxWidth: 720 }} aria-label="New account">
        <h2 style={{ margin: 0 }}>New account</h2>
        <div className="toolbar" style={{ margin: 0 }}>
          <label>
            E-mail
            <input type="email" name="email" required />
          </label>
          <label>
            Name
            <input type="text" name="displayName" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="analyst">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password (empty: single sign-on only)
            <input type="password" name="password" autoComplete="new-password" />
          </label>
          <button type="submit" className="primary">
            Create
          </button>
        </div>
        <p className="legend-note" style={{ margin: 0 }}>
          {ROLES.map((r) => `${r}: ${ROLE_DESCRIPTIONS[r]}`).join(' · ')}
        </p>
      </form>
      {created && !error && (
        <p className="notice" role="status" data-testid="user-created">
          Account {created} created.
        </p>
      )}
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      <div className="table-scroll" style={{ marginTop: 16 }} tabIndex={0} role="region" aria-label="Accounts">
        <table className="data" data-testid="users-table">
          <thead>
            <tr>
              <th>E-mail</th>
              <th>Name</th>
              <th>Role</th>
              <th>Sign-in</th>
              <th>Last sign-in</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td>{u.email}</td>
                <td>{u.displayName}</td>
                <td>
                  <select value={u.role} disabled={u.id === currentUserId} onChange={(e) => change(u.id, { role: e.target.value })} aria-label={`Role of ${u.email}`}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{[u.hasPassword && 'password', u.singleSignOn && 'single sign-on'].filter(Boolean).join(', ') || '—'}</td>
                <td>{u.lastLoginAt ? formatUtc(u.lastLoginAt, 'minute') : 'never'}</td>
                <td>
                  {u.id === currentUserId ? (
                    <span className="muted">you</span>
                  ) : (
                    <button type="button" onClick={() => change(u.id, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
