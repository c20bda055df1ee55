import http from 'node:http'

/**
 * One HTTP request sent from a chosen loopback address (127.0.0.0/8 is all loopback on Linux),
 * so a test can be several clients the server tells apart by their socket address.
 */
export interface HttpAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  json<T = Record<string, unknown>>(): T
}

export function httpFrom(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  const target = new URL(url)
  const body = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        localAddress,
        // A new connection per request: the address is the point of the test.
        agent: false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: target.origin, ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: <T>() => JSON.parse(text) as T })
        })
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}
