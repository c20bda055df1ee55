'use client'

export function SignOutButton() {
  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST' })
    window.location.assign('/login')
  }
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  )
}
