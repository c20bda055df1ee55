import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditTrail } from '@/lib/auth/audit'
import { finishSignIn, safeNextPath, startSignIn, type PendingSignIn } from '@/lib/auth/oidc'
import { oidcConfig, type OidcConfig } from '@/lib/auth/oidc-config'
import { OidcSignInError } from '@/lib/auth/oidc-error'
import { createUser, listUsers, updateUser, type UserSummary } from '@/lib/auth/users'
import { getPrisma } from '@/lib/db/database'
import { startFakeOidcProvider, withLogin, type FakeLogin, type FakeOidcProvider } from '../helpers/fake-oidc-provider'
import { useTestDatabase } from '../helpers/test-database'

// Single sign-on at the library level, against a real (fake) OpenID provider over HTTP and the
// real database: who gets which account and role, and every answer that must be refused.
useTestDatabase()

const REDIRECT = 'http://triage.test/api/auth/oidc/callback'
let idp: FakeOidcProvider
let config: OidcConfig

function configure(overrides: Record<string, string> = {}): OidcConfig {
  const found = oidcConfig({
    OIDC_ISSUER_URL: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_REDIRECT_URL: REDIRECT,
    OIDC_ROLE_MAP: 'Triage.Admin=admin, Triage.Lead=lead, Triage.Analyst=analyst',
    OIDC_ALLOW_HTTP: '1',
    ...overrides,
  })
  if (!found) throw new Error('OIDC_ISSUER_URL is set, so there is a configuration')
  return found
}

/** Start → the provider's /authorize (it answers at once) → the callback's parameters. */
async function authorize(login: FakeLogin, with_ = config): Promise<{ pending: PendingSignIn; params: URLSearchParams }> {
  const { authorizationUrl, pending } = await startSignIn(with_, { redirectUri: REDIRECT, next: '/findings' })
  const response = await fetch(withLogin(authorizationUrl, login), { redirect: 'manual' })
  expect(response.status).toBe(302)
  const back = new URL(response.headers.get('location')!)
  expect(back.origin + back.pathname).toBe(REDIRECT)
  return { pending, params: back.searchParams }
}

async function signIn(login: FakeLogin, with_ = config): Promise<UserSummary> {
  const { pending, params } = await authorize(login, with_)
  return finishSignIn(with_, pending, params)
}

/** The refusal shown to the person, and the whole chain of causes for the log. */
async function refusal(attempt: Promise<unknown>): Promise<{ message: string; reasons: string }> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OidcSignInError)
  const reasons: string[] = []
  for (let e: unknown = (error as Error).cause; e instanceof Error; e = e.cause) reasons.push(e.message)
  return { message: (error as Error).message, reasons: reasons.join(' / ') }
}

async function userByEmail(email: string) {
  return (await getPrisma()).user.findUnique({ where: { email } })
}

beforeAll(async () => {
  idp = await startFakeOidcProvider({ redirectUris: [REDIRECT] })
  config = configure()
})

afterAll(async () => {
  await idp?.stop()
})

describe('the authorization request', () => {
  it('uses the code flow with PKCE S256, a fresh state and nonce, and the configured redirect URI', async () => {
    const first = await startSignIn(config, { redirectUri: REDIRECT, next: '/ips/203.0.113.9?dataset=1' })
    const second = await startSignIn(config, { redirectUri: REDIRECT, next: '/' })
    const q = first.authorizationUrl.searchParams
    expect(first.authorizationUrl.toString().startsWith(`${idp.issuer}/authorize?`)).toBe(true)
    expect(Object.fromEntries(['client_id', 'response_type', 'redirect_uri', 'code_challenge_method', 'state', 'nonce'].map((k) => [k, q.get(k)]))).toEqual({
      client_id: idp.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      code_challenge_method: 'S256',
      state: first.pending.state,
      nonce: first.pending.nonce,
    })
    expect(q.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']))
    // The challenge is derived from the verifier, which itself never leaves this side.
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first.authorizationUrl.toString()).not.toContain(first.pending.codeVerifier)
    expect(first.pending.next).toBe('/ips/203.0.113.9?dataset=1')
    expect([second.pending.state, second.pending.nonce, second.pending.codeVerifier]).not.toContain(first.pending.state)
    expect(second.pending.nonce).not.toBe(first.pending.nonce)
    expect(second.pending.codeVerifier).not.toBe(first.pending.codeVerifier)
  })

  it('follows only paths on this site after sign-in', () => {
    expect(safeNextPath('/findings?verdict=High')).toBe('/findings?verdict=High')
    for (const unsafe of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/\t/evil.example', '', null, ['/a']]) {
      expect(safeNextPath(unsafe), JSON.stringify(unsafe)).toBe('/')
    }
  })
})

describe('accounts', () => {
  it('creates an account on first sign-in, then finds it by identity even when the address changes', async () => {
    const user = await signIn({ sub: 'new-person', claims: { name: 'Nora Newman', preferred_username: 'Nora.Newman@Contoso.com' } })
    expect(user).toMatchObject({ email: 'nora.newman@contoso.com', displayName: 'Nora Newman', role: 'viewer', singleSignOn: true, hasPassword: false, disabled: false })
    expect(user.lastLoginAt).not.toBeNull()
    expect((await userByEmail('nora.newman@contoso.com'))?.oidcIdentity).toBe(`${idp.issuer} new-person`)
    const trail = await auditTrail('user', user.id)
    expect(trail.map((a) => [a.action, a.actorLabel, a.actorId, a.after])).toEqual([
      ['user.create', 'oidc', null, { email: 'nora.newman@contoso.com', role: 'viewer', oidcIdentity: `${idp.issuer} new-person` }],
    ])

    const count = (await listUsers()).length
    const again = await signIn({ sub: 'new-person', claims: { name: 'Nora N.', email: 'nora@contoso.com' } })
    expect(again.id).toBe(user.id)
    expect((await listUsers()).length).toBe(count)
  })

  it('falls back to the local part of the address when the token has no name', async () => {
    expect(await signIn({ sub: 'nameless', claims: { email: 'quiet.one@contoso.com' } })).toMatchObject({ displayName: 'quiet.one', email: 'quiet.one@contoso.com' })
  })

  it('links an existing account with the same verified address, keeping its password and role', async () => {
    const local = await createUser({ email: 'lena.link@contoso.com', role: 'lead', password: 'lena-password-123' })
    const user = await signIn({ sub: 'lena-sub', claims: { email: 'Lena.Link@Contoso.com', name: 'Someone Else' } })
    expect(user).toMatchObject({ id: local.id, role: 'lead', hasPassword: true, singleSignOn: true, displayName: local.displayName })
    const trail = await auditTrail('user', local.id)
    expect(trail.map((a) => [a.action, a.actorLabel, a.before, a.after])).toEqual([['user.link', 'oidc', { oidcIdentity: null }, { oidcIdentity: `${idp.issuer} lena-sub` }]])

    // A second identity claiming the same address does not take the account over.
    const other = await refusal(signIn({ sub: 'impostor-sub', claims: { email: 'lena.link@contoso.com' } }))
    expect(other.message).toBe('this e-mail address belongs to another single sign-on identity: ask an administrator')
    expect((await userByEmail('lena.link@contoso.com'))?.oidcIdentity).toBe(`${idp.issuer} lena-sub`)
  })

  it('never links or creates by an address the provider says is unverified', async () => {
    const local = await createUser({ email: 'victim@contoso.com', role: 'admin', password: 'victim-password-12' })
    for (const claims of [{ email: 'victim@contoso.com', email_verified: false }, { email: 'victim@contoso.com', xms_edov: false }, { upn: 'victim@contoso.com', email_verified: false }]) {
      const refused = await refusal(signIn({ sub: 'attacker', claims }))
      expect(refused.message, JSON.stringify(claims)).toBe('the identity provider sent no verified e-mail address, which a new account needs')
    }
    expect((await userByEmail('victim@contoso.com'))?.oidcIdentity).toBeNull()
    expect(await auditTrail('user', local.id)).toEqual([])
    // Names that are not addresses are no address either.
    expect((await refusal(signIn({ sub: 'no-address', claims: { preferred_username: 'just-a-name' } }))).message).toMatch(/no verified e-mail address/)
  })

  it('refuses disabled accounts, linked or found by address, without linking them', async () => {
    const linked = await signIn({ sub: 'soon-disabled', claims: { email: 'dora.disabled@contoso.com' } })
    await updateUser(linked.id, { disabled: true })
    expect((await refusal(signIn({ sub: 'soon-disabled', claims: { email: 'dora.disabled@contoso.com' } }))).message).toBe('your account is disabled')

    const local = await createUser({ email: 'lars.locked@contoso.com', role: 'analyst' })
    await updateUser(local.id, { disabled: true })
    expect((await refusal(signIn({ sub: 'lars', claims: { email: 'lars.locked@contoso.com', roles: ['Triage.Admin'] } }))).message).toBe('your account is disabled')
    const after = await userByEmail('lars.locked@contoso.com')
    expect([after?.oidcIdentity, after?.role]).toEqual([null, 'analyst'])
  })
})

describe('roles', () => {
  it('the highest mapped value of the role claim wins, and the provider changes roles on every sign-in', async () => {
    const login = (roles: unknown): FakeLogin => ({ sub: 'rita-roles', claims: { email: 'rita@contoso.com', roles } })
    const user = await signIn(login(['Triage.Analyst', 'Unrelated.Role', 'Triage.Lead']))
    expect(user.role).toBe('lead')
    expect((await signIn(login(['Triage.Analyst']))).role).toBe('analyst')
    // No mapped value: the provider says nothing about this app's role, so it stays.
    expect((await signIn(login(['Unrelated.Role']))).role).toBe('analyst')
    expect((await signIn(login(undefined))).role).toBe('analyst')
    // A single value rather than an array counts as well.
    expect((await signIn(login('Triage.Admin'))).role).toBe('admin')
    const trail = await auditTrail('user', user.id)
    expect(trail.map((a) => [a.action, a.actorLabel, a.before, a.after])).toEqual([
      ['user.create', 'oidc', null, { email: 'rita@contoso.com', role: 'lead', oidcIdentity: `${idp.issuer} rita-roles` }],
      ['user.update', 'oidc', { role: 'lead' }, { role: 'analyst' }],
      ['user.update', 'oidc', { role: 'analyst' }, { role: 'admin' }],
    ])
  })

  it('reads the role from the configured claim, e.g. group ids', async () => {
    const groups = configure({ OIDC_ROLE_CLAIM: 'groups', OIDC_ROLE_MAP: '8d1c-analysts=analyst' })
    const user = await signIn({ sub: 'gus-groups', claims: { email: 'gus@contoso.com', groups: ['0000-other', '8d1c-analysts'], roles: ['Triage.Admin'] } }, groups)
    expect(user.role).toBe('analyst')
  })

  it('gives new accounts OIDC_DEFAULT_ROLE without a mapped role, and refuses them when it is "none"', async () => {
    const analysts = configure({ OIDC_DEFAULT_ROLE: 'analyst' })
    expect((await signIn({ sub: 'default-analyst', claims: { email: 'dan@contoso.com' } }, analysts)).role).toBe('analyst')

    const closed = configure({ OIDC_DEFAULT_ROLE: 'none' })
    const refused = await refusal(signIn({ sub: 'unassigned', claims: { email: 'una@contoso.com', roles: ['Unrelated.Role'] } }, closed))
    expect(refused.message).toBe('you have no role in Enumeration Triage: ask an administrator to assign you one')
    expect(await userByEmail('una@contoso.com')).toBeNull()
    expect((await signIn({ sub: 'unassigned', claims: { email: 'una@contoso.com', roles: ['Triage.Analyst'] } }, closed)).role).toBe('analyst')
    // Someone who already has an account keeps it without a mapped role.
    expect((await signIn({ sub: 'unassigned', claims: { email: 'una@contoso.com' } }, closed)).role).toBe('analyst')
  })
})

describe('what is refused', () => {
  const alice: FakeLogin = { sub: 'alice', claims: { email: 'alice@contoso.com', roles: ['Triage.Admin'] } }

  it('ID tokens for another client, with another nonce or issuer, expired or not signed by the provider', async () => {
    const cases: [FakeLogin['misbehave'], RegExp][] = [
      ['wrong-audience', /"aud"/],
      ['wrong-nonce', /"nonce"/],
      ['wrong-issuer', /"iss"/],
      ['expired', /"exp"/],
      ['bad-signature', /signature/i],
    ]
    for (const [misbehave, reason] of cases) {
      const refused = await refusal(signIn({ ...alice, misbehave }))
      expect(refused.message, misbehave).toBe("the identity provider's answer did not validate: try again")
      expect(refused.reasons, misbehave).toMatch(reason)
    }
    expect(await userByEmail('alice@contoso.com')).toBeNull()
  })

  it('an error from the provider, e.g. the person not assigned to the application', async () => {
    const refused = await refusal(signIn({ ...alice, misbehave: 'access_denied' }))
    expect(refused.message).toBe('the identity provider did not sign you in (cancelled or not allowed)')
  })

  it('a callback whose state is not this sign-in’s', async () => {
    const { pending, params } = await authorize(alice)
    const refused = await refusal(finishSignIn(config, { ...pending, state: 'some-other-state' }, params))
    expect(refused.message).toBe("the identity provider's answer did not validate: try again")
    expect(refused.reasons).toMatch(/state/)
    // Refused before the code exchange: the code is still good for the real sign-in.
    expect((await finishSignIn(config, pending, params)).email).toBe('alice@contoso.com')
  })

  it('a code redeemed with another PKCE verifier, or twice', async () => {
    const stolen = await authorize(alice)
    const otherVerifier = (await startSignIn(config, { redirectUri: REDIRECT, next: '/' })).pending.codeVerifier
    const refused = await refusal(finishSignIn(config, { ...stolen.pending, codeVerifier: otherVerifier }, stolen.params))
    expect(refused.message).toBe('the identity provider refused the sign-in code (invalid_grant)')
    expect(idp.refusals.at(-1)).toBe('invalid_grant: PKCE verification failed')

    const { pending, params } = await authorize(alice)
    await finishSignIn(config, pending, params)
    expect((await refusal(finishSignIn(config, pending, params))).message).toBe('the identity provider refused the sign-in code (invalid_grant)')
    expect(idp.refusals.at(-1)).toBe('invalid_grant: code already used')
  })

  it('a wrong client secret, and an unreachable provider, each with a message that says so', async () => {
    const wrongSecret = configure({ OIDC_CLIENT_SECRET: 'not-the-secret' })
    expect((await refusal(signIn(alice, wrongSecret))).message).toBe('single sign-on is misconfigured: the identity provider refused the client credentials')
    expect(idp.refusals.at(-1)).toBe('invalid_client: client authentication failed')

    const gone = await startFakeOidcProvider({ redirectUris: [REDIRECT] })
    const goneConfig = configure({ OIDC_ISSUER_URL: gone.issuer })
    await gone.stop()
    expect((await refusal(startSignIn(goneConfig, { redirectUri: REDIRECT, next: '/' }))).message).toBe('the identity provider could not be reached: try again later')
  })

  it('the provider over plain HTTP unless OIDC_ALLOW_HTTP=1', async () => {
    const strict = configure({ OIDC_ALLOW_HTTP: '0' })
    const refused = await refusal(startSignIn(strict, { redirectUri: REDIRECT, next: '/' }))
    expect(refused.message).toBe('the identity provider could not be reached: try again later')
    expect(refused.reasons).toMatch(/HTTPS/i)
  })
})
