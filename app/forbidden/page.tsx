import Link from 'next/link'
import { connection } from 'next/server'
import { ROLE_DESCRIPTIONS, isRole } from '@/lib/auth/roles'
import { requestActor } from '@/lib/http/request-actor'

export const metadata = { title: 'Not allowed' }

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const need = (await searchParams).need
  const actor = await requestActor()
  return (
    <>
      <h1>Not allowed</h1>
      <p>
        {isRole(need) ? (
          <>
            This page needs the <strong>{need}</strong> role ({/^[aeiou]/.test(need) ? 'an' : 'a'} {need} {ROLE_DESCRIPTIONS[need]}).
          </>
        ) : (
          'Your role does not allow this page.'
        )}{' '}
        {actor ? `You are signed in as ${actor.user.email} (${actor.user.role}). Ask an administrator for a different role.` : ''}
      </p>
      <Link href="/">Back to the overview</Link>
    </>
  )
}
