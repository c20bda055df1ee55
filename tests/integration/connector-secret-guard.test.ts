import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { refusedAddress } from '@/lib/connectors/address-guard'
import { createConnector } from '@/lib/connectors/connector-store'
import { newSecretKey } from '@/lib/connectors/secrets'
import { testConnection } from '@/lib/connectors/test-connection'
import { getPrisma } from '@/lib/db/database'
import { startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { useTestDatabase } from '../helpers/test-database'

// Issue 12 #5: "Test connection" must not deliver a saved secret to a host of the caller's
// choosing, nor reach private addresses, and every test is audited.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_SECRET_KEY = newSecretKey()
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-saved-secret' }

let fake: FakeMicrosoft
let admin: Actor
let connectorId = 0
let saved: Record<string, string>
/** A host that records whatever reaches it (as an attacker's would). */
let attacker: { url: string; seen: string[]; server: http.Server }

beforeAll(async () => {
  fake = await startFakeMicrosoft({ app })
  const seen: string[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      seen.push(`${request.method} ${request.url} ${Buffer.concat(chunks).toString('utf8')}`)
      // A redirect to the real fake, in case the client followed it.
      response.writeHead(307, { location: `${fake.url}${request.url}` }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  attacker = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }
  admin = { user: await createUser({ email: 'admin@example.com', role: 'admin', password: 'admin-password-12' }), via: 'session' }
  saved = { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url }
  process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
  connectorId = (await createConnector({ name: 'contoso', kind: 'graph', dataset: 'pulled', settings: saved, secret: app.clientSecret }, admin)).id
})
afterEach(() => {
  process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
  process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
})
afterAll(async () => {
  await fake.stop()
  await new Promise((resolve) => attacker.server.close(resolve))
})

async function testAudits() {
  const prisma = await getPrisma()
  return prisma.auditEvent.findMany({ where: { action: 'connector.test' }, orderBy: { id: 'asc' } })
}

describe('testing a saved connector with other endpoints', () => {
  it('tests the saved configuration with the saved secret, and audits it', async () => {
    expect(await testConnection({ kind: 'graph', settings: saved, connectorId }, admin)).toMatchObject({ ok: true })
    const last = (await testAudits()).at(-1)!
    expect(last).toMatchObject({ actorId: admin.user.id, entityType: 'connector', entityId: String(connectorId) })
    expect(last.after).toMatchObject({ kind: 'graph', secret: 'stored', ok: true })
    expect(JSON.stringify(last.after)).not.toContain(app.clientSecret)
  })

  it('refuses to send the saved secret to a changed authority or Graph URL: the secret must be typed again', async () => {
    const changes: Record<string, string>[] = [{ authorityUrl: attacker.url }, { graphUrl: attacker.url }, { authorityUrl: attacker.url, graphUrl: attacker.url }]
    for (const changed of changes) {
      await expect(testConnection({ kind: 'graph', settings: { ...saved, ...changed }, connectorId }, admin)).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/differs? from the saved connector: type the secret again/),
      })
    }
    // Another kind with the saved secret: refused too.
    await expect(
      testConnection({ kind: 'logscale', settings: { baseUrl: attacker.url, repository: 'x' }, connectorId }, admin),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/the kind differs/) })
    expect(attacker.seen).toEqual([])
    // The attempts are in the audit trail, with where they pointed.
    const refused = (await testAudits()).filter((a) => String((a.after as { message?: string }).message).startsWith('refused'))
    expect(refused).toHaveLength(4)
    expect((refused[0].after as { endpoints: string[] }).endpoints).toContain(new URL(attacker.url).host)
  })

  it('with the secret typed, the changed endpoint is tested with that secret only, and a redirect is not followed', async () => {
    const outcome = await testConnection({ kind: 'graph', settings: { ...saved, authorityUrl: attacker.url }, connectorId, secret: 'typed-by-the-admin' }, admin)
    expect(outcome.ok).toBe(false)
    expect(attacker.seen).toHaveLength(1)
    expect(attacker.seen[0]).toContain('typed-by-the-admin')
    expect(attacker.seen[0]).not.toContain(app.clientSecret)
    // The 307 to the real token endpoint was not followed.
    expect(fake.requests.filter((r) => r.body.includes('typed-by-the-admin'))).toEqual([])
    expect((await testAudits()).at(-1)?.after).toMatchObject({ secret: 'typed', ok: false })
  })
})

describe('private addresses', () => {
  it('classifies loopback, link-local, private, shared, unspecified and mapped addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254']) {
      expect(refusedAddress(address), address).not.toBeNull()
    }
    for (const address of ['20.190.160.1', '40.126.0.1', '2603:1030::1', '::ffff:20.190.160.1']) expect(refusedAddress(address), address).toBeNull()
  })

  it('refuses them (literal or after DNS) unless the test-only flag allows them, before anything is sent', async () => {
    delete process.env.ET_CONNECTORS_ALLOW_PRIVATE
    const port = new URL(attacker.url).port
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]', '169.254.169.254', '[::1]', '0.0.0.0', '10.0.0.1']) {
      const url = `http://${host}:${port}`
      const outcome = await testConnection({ kind: 'graph', settings: { ...saved, authorityUrl: url, graphUrl: url }, secret: 'typed' }, admin)
      expect(outcome.ok, host).toBe(false)
      expect(outcome.message, host).toMatch(/refused: .*(loopback, link-local, private or reserved)/)
    }
    expect(attacker.seen.filter((s) => s.includes('secret=typed&'))).toEqual([])
  })

  it('with ET_CONNECTORS_ALLOW_HTTP=1 still refuses every scheme but http and https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com', 'gopher://example.com', 'javascript:alert(1)', 'data:text/plain,x']) {
      const outcome = await testConnection({ kind: 'graph', settings: { ...saved, authorityUrl: url }, secret: 'typed' }, admin)
      expect(outcome, url).toMatchObject({ ok: false, message: expect.stringMatching(/authorityUrl: (must be https|Invalid url)/i) })
    }
    delete process.env.ET_CONNECTORS_ALLOW_HTTP
    expect((await testConnection({ kind: 'graph', settings: { ...saved, authorityUrl: 'http://example.com' }, secret: 'typed' }, admin)).message).toMatch(/authorityUrl: must be https/)
  })
})
