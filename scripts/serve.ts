import { createServer } from 'node:http'
import path from 'node:path'
import { PEER_HEADER, PEER_MARK, PROXY_ONLY_HEADERS, peerIsTrustedProxy } from '../lib/http/client-address'

/**
 * The HTTP server in front of Next.js (`npm start` runs it; `next start` would do the same but
 * hides the socket address behind whatever X-Forwarded-For a client sends). Every request gets
 * the connection's peer address in PEER_HEADER, overwriting any value the client sent, so sign-in
 * throttling keys on an address the client cannot choose (lib/http/client-address.ts).
 *
 *   tsx scripts/serve.ts [--dev] [--port N] [--hostname H]
 */
function option(name: string): string | undefined {
  const index = process.argv.indexOf(name)
  return index >= 0 ? process.argv[index + 1] : undefined
}

const dev = process.argv.includes('--dev')
const port = Number(option('--port') ?? process.env.PORT ?? 3000)
const hostname = option('--hostname') ?? process.env.HOSTNAME_BIND
;(process.env as Record<string, string>).NODE_ENV ??= dev ? 'development' : 'production'
// The setup-code banner (instrumentation.ts) names the port.
process.env.PORT = String(port)

async function main() {
  const { default: next } = await import('next')
  ;(globalThis as Record<symbol, unknown>)[PEER_MARK] = true
  const server = createServer((request, response) => {
    request.headers[PEER_HEADER] = request.socket.remoteAddress ?? ''
    if (!peerIsTrustedProxy(request.socket.remoteAddress)) for (const name of PROXY_ONLY_HEADERS) delete request.headers[name]
    void handle(request, response)
  })
  const app = next({ dev, dir: path.resolve(import.meta.dirname, '..'), port, hostname, httpServer: server })
  const handle = app.getRequestHandler()
  await app.prepare()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, hostname, () => resolve())
  })
  console.log(`> ready on http://${hostname ?? 'localhost'}:${port}${dev ? ' (development)' : ''}`)
  const stop = () => {
    server.close()
    void app.close().finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error) => {
  console.error(`error: ${(error as Error).message}`)
  process.exit(1)
})
