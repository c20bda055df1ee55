'use client'

import { useState, type FormEvent } from 'react'

/** First run: the first administrator chooses their own password (there is no default one). */
export function SetupForm({ minLength, setupCode }: { minLength: number; setupCode: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    if (form.get('password') !== form.get('confirm')) {
      setError('the two passwords differ')
      return
    }
    setBusy(true)
    setError(null)
    const response = await fetch('/api/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ setupCode: form.get('setupCode'), email: form.get('email'), displayName: form.get('displayName'), password: form.get('password') }),
    })
    setBusy(false)
    if (!response.ok) {
      setError(((await response.json().catch(() => null)) as { error?: string } | null)?.error ?? 'setup failed')
      return
    }
    window.location.assign('/')
  }

  return (
    <form onSubmit={submit} className="panel" style={{ display: 'grid', gap: 12, maxWidth: 420 }} aria-label="Create the first administrator">
      <label style={{ display: 'grid', gap: 4 }}>
        Setup code (printed in the server console)
        <input type="text" name="setupCode" autoComplete="off" spellCheck={false} defaultValue={setupCode} required autoFocus={!setupCode} />
      </label>
      <label style={{ display: 'grid', gap: 4 }}>
        E-mail
        <input type="email" name="email" autoComplete="username" required autoFocus={Boolean(setupCode)} />
      </label>
      <label style={{ display: 'grid', gap: 4 }}>
        Name
        <input type="text" name="displayName" autoComplete="name" />
      </label>
      <label style={{ display: 'grid', gap: 4 }}>
        Password (at least {minLength} characters)
        <input type="password" name="password" autoComplete="new-password" minLength={minLength} required />
      </label>
      <label style={{ display: 'grid', gap: 4 }}>
        Password again
        <input type="password" name="confirm" autoComplete="new-password" minLength={minLength} required />
      </label>
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create administrator and sign in'}
      </button>
    </form>
  )
}
