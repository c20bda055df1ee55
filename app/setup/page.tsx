import { redirect } from 'next/navigation'
import { connection } from 'next/server'
import { SetupForm } from '@/components/auth/setup-form'
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/passwords'
import { countUsers } from '@/lib/auth/users'

export const metadata = { title: 'First-run setup' }

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  if ((await countUsers()) > 0) redirect('/login')
  const code = (await searchParams).code
  // The console's link carries the code; anything else in the parameter is simply not a code.
  const setupCode = typeof code === 'string' && /^[A-Za-z0-9-]{1,40}$/.test(code) ? code : ''
  return (
    <>
      <h1>Welcome to Enumeration Triage</h1>
      <p className="muted">
        There is no account yet. Create the first administrator; they can then add analysts, leads and viewers. Only whoever can read the
        server&apos;s console can do this: enter the one-time setup code it printed at its last start. (From a shell:{' '}
        <code>npm run cli -- users add you@example.com --role admin</code>.)
      </p>
      <SetupForm minLength={MIN_PASSWORD_LENGTH} setupCode={setupCode} />
    </>
  )
}
