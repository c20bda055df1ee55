import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'

/**
 * An OpenID provider on 127.0.0.1 for the single sign-on tests, strict where a real one is
 * strict: the authorization request must name the registered client and redirect URI and use
 * PKCE S256; the token request must authenticate the client and present an unused, unexpired
 * code with its redirect URI and PKCE verifier. ID tokens are RS256-signed with a key published
 * at the JWKS endpoint.
 *
 * Nobody types a password here: the test says who signs in by adding `fake_login` (see
 * withLogin) to the authorization URL the app redirected to, which also lets each sign-in
 * misbehave in one chosen way.
 */
export type Misbehaviour = 'access_denied' | 'wrong-audience' | 'wrong-nonce' | 'wrong-issuer' | 'expired' | 'bad-signature'

export interface FakeLogin {
  sub: string
  /** Extra ID token claims: name, email, preferred_username, roles, email_verified … */
  claims?: Record<string, unknown>
  misbehave?: Misbehaviour
}

export interface FakeOidcProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** Every token request the provider refused, with the reason, oldest first. */
  refusals: string[]
  stop(): Promise<void>
}

const LOGIN_PARAM = 'fake_login'

/** The authorization URL with who signs in (and how the provider should misbehave). */
export function withLogin(authorizationUrl: string | URL, login: FakeLogin): URL {
  const url = new URL(authorizationUrl)
  url.searchParams.set(LOGIN_PARAM, Buffer.from(JSON.stringify(login)).toString('base64url'))
  return url
}

interface IssuedCode {
  clientId: string
  redirectUri: string
  codeChallenge: string
  nonce: string | null
  login: FakeLogin
  expiresAt: number
  used: boolean
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  response.end(JSON.stringify(body))
}

/** client_secret_basic or client_secret_post, as RFC 6749 §2.3.1 allows. */
function clientCredentials(request: http.IncomingMessage, form: URLSearchParams): { id: string; secret: string } | null {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map((p) => decodeURIComponent(p.replace(/\+/g, ' ')))
    return id !== undefined && secret !== undefined ? { id, secret } : null
  }
  const id = form.get('client_id')
  const secret = form.get('client_secret')
  return id && secret ? { id, secret } : null
}

export async function startFakeOidcProvider(options: { redirectUris: string[]; clientId?: string; clientSecret?: string }): Promise<FakeOidcProvider> {
  const clientId = options.clientId ?? 'enumeration-triage-test'
  const clientSecret = options.clientSecret ?? randomBytes(18).toString('base64url')
  const keys = await generateKeyPair('RS256', { extractable: true })
  // Same key id, different key: what a forged token signed by someone else looks like.
  const impostor = await generateKeyPair('RS256')
  const kid = randomBytes(8).toString('hex')
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }
  const codes = new Map<string, IssuedCode>()
  const refusals: string[] = []
  let issuer = ''

  const tokenError = (response: http.ServerResponse, status: number, error: string, description: string) => {
    refusals.push(`${error}: ${description}`)
    send(response, status, { error, error_description: description })
  }

  const authorize = (url: URL, response: http.ServerResponse) => {
    const q = url.searchParams
    const redirectUri = q.get('redirect_uri') ?? ''
    // Like a real IdP: a bad client or redirect URI gets an error page, never a redirect.
    if (q.get('client_id') !== clientId) return send(response, 400, { error: 'unauthorized_client' })
    if (!options.redirectUris.includes(redirectUri)) return send(response, 400, { error: 'invalid_request', error_description: 'redirect_uri is not registered' })
    const back = new URL(redirectUri)
    const state = q.get('state')
    if (state !== null) back.searchParams.set('state', state)
    const refuse = (error: string, description: string) => {
      back.searchParams.set('error', error)
      back.searchParams.set('error_description', description)
      response.writeHead(302, { location: back.toString() }).end()
    }
    if (q.get('response_type') !== 'code') return refuse('unsupported_response_type', 'only the code flow')
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return refuse('invalid_scope', 'openid is required')
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return refuse('invalid_request', 'PKCE with S256 is required')
    const encoded = q.get(LOGIN_PARAM)
    if (!encoded) return send(response, 400, { error: 'invalid_request', error_description: `the test did not say who signs in (${LOGIN_PARAM})` })
    const login = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as FakeLogin
    if (login.misbehave === 'access_denied') return refuse('access_denied', 'AADSTS50105: the user is not assigned to a role for the application')
    const code = randomBytes(24).toString('base64url')
    codes.set(code, { clientId, redirectUri, codeChallenge: q.get('code_challenge')!, nonce: q.get('nonce'), login, expiresAt: Date.now() + 60_000, used: false })
    back.searchParams.set('code', code)
    response.writeHead(302, { location: back.toString() }).end()
  }

  const idToken = async (issued: IssuedCode): Promise<string> => {
    const { login } = issued
    const now = Math.floor(Date.now() / 1000)
    const issuedAt = login.misbehave === 'expired' ? now - 7200 : now
    const claims = { ...login.claims, nonce: login.misbehave === 'wrong-nonce' ? 'not-the-nonce-you-sent' : (issued.nonce ?? undefined) }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(login.misbehave === 'wrong-issuer' ? `${issuer}-elsewhere` : issuer)
      .setSubject(login.sub)
      .setAudience(login.misbehave === 'wrong-audience' ? 'some-other-application' : issued.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(login.misbehave === 'bad-signature' ? impostor.privateKey : keys.privateKey)
  }

  const token = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const form = await readForm(request)
    const credentials = clientCredentials(request, form)
    if (!credentials || credentials.id !== clientId || !sameSecret(credentials.secret, clientSecret)) {
      return tokenError(response, 401, 'invalid_client', 'client authentication failed')
    }
    if (form.get('grant_type') !== 'authorization_code') return tokenError(response, 400, 'unsupported_grant_type', 'only authorization_code')
    const issued = codes.get(form.get('code') ?? '')
    if (!issued || issued.clientId !== credentials.id) return tokenError(response, 400, 'invalid_grant', 'unknown code')
    // A code is good once: a replay is refused (and a real IdP would revoke what it issued).
    if (issued.used) return tokenError(response, 400, 'invalid_grant', 'code already used')
    issued.used = true
    if (issued.expiresAt < Date.now()) return tokenError(response, 400, 'invalid_grant', 'code expired')
    if (form.get('redirect_uri') !== issued.redirectUri) return tokenError(response, 400, 'invalid_grant', 'redirect_uri differs from the authorization request')
    const verifier = form.get('code_verifier') ?? ''
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== issued.codeChallenge) return tokenError(response, 400, 'invalid_grant', 'PKCE verification failed')
    send(response, 200, { access_token: randomBytes(24).toString('base64url'), token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email', id_token: await idToken(issued) })
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer)
    const base = new URL(issuer).pathname
    const route = url.pathname.startsWith(`${base}/`) ? `${request.method} ${url.pathname.slice(base.length)}` : 'elsewhere'
    const handle = async () => {
      if (route === 'GET /.well-known/openid-configuration') {
        return send(response, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/keys`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          scopes_supported: ['openid', 'profile', 'email'],
        })
      }
      if (route === 'GET /keys') return send(response, 200, { keys: [jwk] })
      if (route === 'GET /authorize') return authorize(url, response)
      if (route === 'POST /token') return token(request, response)
      send(response, 404, { error: 'not_found' })
    }
    handle().catch((error: unknown) => send(response, 500, { error: 'server_error', error_description: String(error) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // A path like Entra's (https://login.microsoftonline.com/<tenant>/v2.0), so the issuer is
  // compared as the exact string it is, not with a trailing slash added by URL parsing.
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fake-tenant/v2.0`

  return {
    issuer,
    clientId,
    clientSecret,
    refusals,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
