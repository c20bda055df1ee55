import type { UserSummary } from './users'

/** Who is asking: a signed-in person, or a script with one of their tokens. */
export interface Actor {
  user: UserSummary
  via: 'session' | 'token'
  tokenName?: string
}

export function actorLabel(actor: Actor): string {
  return actor.via === 'token' ? `${actor.user.email} (token "${actor.tokenName}")` : actor.user.email
}
