import Link from 'next/link'
import { connection } from 'next/server'
import { ApiTokensManager } from '@/components/account/api-tokens-manager'
import { listApiTokens } from '@/lib/auth/api-tokens'
import { ROLE_DESCRIPTIONS } from '@/lib/auth/roles'
import { requirePageRole } from '@/lib/http/page-guard'
import { listSavedViews } from '@/lib/views/saved-views'

export const metadata = { title: 'Your account' }

export default async function AccountPage() {
  await connection()
  const actor = await requirePageRole('viewer', '/account')
  const [tokens, views] = await Promise.all([listApiTokens(actor.user.id), listSavedViews(actor.user.id)])
  return (
    <>
      <h1>{actor.user.displayName}</h1>
      <p className="muted">
        {actor.user.email} · {actor.user.role}: {ROLE_DESCRIPTIONS[actor.user.role]}
      </p>
      <ApiTokensManager tokens={tokens} role={actor.user.role} />
      <h2>Saved views</h2>
      {views.length === 0 ? (
        <p className="muted">None yet: filter the findings table and choose “Save this view”.</p>
      ) : (
        <ul>
          {views.map((v) => (
            <li key={v.id}>
              <Link href={`/findings?${v.query}`}>{v.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
