import { redirect } from 'next/navigation'
import { connection } from 'next/server'
import { SetupForm } from '@/components/auth/setup-form'
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/passwords'
import { countUsers } from '@/lib/auth/users'

export const metadata = { title: 'First-run setup' }

export default async function SetupPage() {
  await connection()
  if ((await countUsers()) > 0) redirect('/login')
  return (
    <>
      <h1>Welcome to Enumeration Triage</h1>
      <p className="muted">
        There is no account yet. Create the first administrator; they can then add analysts, leads and viewers. (From a shell:{' '}
        <code>npm run cli -- users add you@example.com --role admin</code>.)
      </p>
      <SetupForm minLength={MIN_PASSWORD_LENGTH} />
    </>
  )
}
