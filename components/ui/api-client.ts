/** Calls our JSON API from the browser; errors come back as the server's message. */
export async function sendJson(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ ok: true; data: unknown } | { ok: false; error: string }> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = (await response.json().catch(() => null)) as { error?: string; issues?: string[] } | null
    if (!response.ok) return { ok: false, error: [data?.error ?? `${response.status} ${response.statusText}`, ...(data?.issues ?? [])].join(': ') }
    return { ok: true, data }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}
