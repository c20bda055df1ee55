/**
 * Sends one file in chunks (the browser reads each slice from disk as it goes, never the
 * whole file), each to the offset the server expects. A dropped connection or a server
 * restart waits, asks the server how much it has, and continues from there.
 */
export interface UploadCallbacks {
  onStarted: (jobId: number) => void
  onProgress: (bytesSent: number) => void
}

export class UploadRefused extends Error {}

function putChunk(url: string, offset: number, chunk: Blob, onProgress: (loaded: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.setRequestHeader('upload-offset', String(offset))
    xhr.setRequestHeader('content-type', 'application/octet-stream')
    xhr.upload.onprogress = (event) => onProgress(event.loaded)
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // not JSON
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new Error('network error'))
    xhr.ontimeout = () => reject(new Error('timed out'))
    xhr.timeout = 10 * 60_000
    xhr.send(chunk)
  })
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function uploadFile(file: File, dataset: string, callbacks: UploadCallbacks): Promise<number> {
  const created = await fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dataset, fileName: file.name, size: file.size }),
  })
  const start = (await created.json()) as { jobId: number; chunkBytes: number; error?: string }
  if (!created.ok) throw new UploadRefused(start.error ?? `${created.status} ${created.statusText}`)
  callbacks.onStarted(start.jobId)
  const url = `/api/uploads/${start.jobId}`
  let offset = 0
  let failures = 0
  while (offset < file.size) {
    const chunk = file.slice(offset, offset + start.chunkBytes)
    try {
      const response = await putChunk(url, offset, chunk, (loaded) => callbacks.onProgress(offset + loaded))
      const body = response.body as { received?: number; error?: string } | null
      if (response.status === 200 && typeof body?.received === 'number') {
        offset = body.received
        failures = 0
        callbacks.onProgress(offset)
        continue
      }
      if (response.status === 409 || response.status >= 500) throw new Error(body?.error ?? `HTTP ${response.status}`)
      throw new UploadRefused(body?.error ?? `HTTP ${response.status}`)
    } catch (error) {
      if (error instanceof UploadRefused) throw error
      // Slow or broken network, or a restarting server: wait, then resume where the server is.
      failures++
      if (failures > 12) throw new Error(`upload stopped after repeated failures: ${(error as Error).message}`)
      await wait(Math.min(30_000, 1000 * 2 ** failures))
      const state = await fetch(url).then((r) => (r.ok ? (r.json() as Promise<{ uploadReceived: number; status: string }>) : null)).catch(() => null)
      if (state && state.status !== 'uploading' && state.uploadReceived < file.size) throw new UploadRefused(`the server stopped this upload (${state.status})`)
      if (state) offset = state.uploadReceived
    }
  }
  return start.jobId
}
