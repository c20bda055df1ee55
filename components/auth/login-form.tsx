'use client'

import { useState, type FormEvent } from 'react'

/** Local-account sign-in; single sign-on is a link when configured. */
export function LoginForm({ next, singleSignOn }: { next: string; singleSignOn: { label: string } | null }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    })
    setBusy(false)
    if (!response.ok) {
      setError(((await response.json().catch(() => null)) as { error?: string } | null)?.error ?? 'sign-in failed')
      return
    }
    // A full navigation, so every server component renders for the signed-in user.
    window.location.assign(next)
  }

  return (
    <form onSubmit={submit} className="panel" style={{ display: 'grid', gap: 12, maxWidth: 380 }} aria-label="Sign in">
      <label style={{ display: 'grid', gap: 4 }}>
        E-mail
        <input type="text" name="email" autoComplete="username" required autoFocus />
      </label>
      <label style={{ display: 'grid', gap: 4 }}>
        Password
        <input type="password" name="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {singleSignOn && (
        <a className="button" href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`} style={{ textAlign: 'center' }}>
          Sign in with {singleSignOn.label}
        </a>
      )}
    </form>
  )
}
