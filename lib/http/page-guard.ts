import { redirect } from 'next/navigation'
import type { Actor } from '@/lib/auth/actor'
import { atLeast, type Role } from '@/lib/auth/roles'
import { countUsers } from '@/lib/auth/users'
import { requestActor } from './request-actor'

/**
 * Every page starts here: anonymous visitors go to sign in (or, on a fresh install without
 * any user, to the first-run setup), signed-in users without the role see the forbidden page.
 */
export async function requirePageRole(minimum: Role, path: string): Promise<Actor> {
  const actor = await requestActor()
  if (!actor) {
    if ((await countUsers()) === 0) redirect('/setup')
    redirect(`/login?next=${encodeURIComponent(path)}`)
  }
  if (!atLeast(actor.user.role, minimum)) redirect(`/forbidden?need=${minimum}`)
  return actor
}
