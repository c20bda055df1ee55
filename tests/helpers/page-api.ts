import type { Page } from 'playwright-core'

/** A JSON request from inside the page, with the signed-in user's cookie (as the app's own scripts send it). */
export async function pageRequest<T>(page: Page, url: string, init?: { method: string; body: unknown }): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined)
      return { status: response.status, body: await response.json() }
    },
    { url, init },
  ) as Promise<{ status: number; body: T }>
}

/** pageRequest's answer body. */
export async function pageJson<T>(page: Page, url: string, init?: { method: string; body: unknown }): Promise<T> {
  return (await pageRequest<T>(page, url, init)).body
}

/**
 * Sends a file through the upload API as the page's user, and waits (up to a minute) for its
 * import and then for the findings derived from it: the recompute runs after the import, in the
 * background, and a test that reads or triages findings before it ends sees none or some.
 */
export async function uploadThroughApi(page: Page, url: (p: string) => string, dataset: string, fileName: string, content: Buffer): Promise<{ jobId: number; status: string }> {
  const started = await page.request.post(url('/api/uploads'), { data: { dataset, fileName, size: content.length } })
  const { jobId } = (await started.json()) as { jobId: number }
  const put = await page.request.put(url(`/api/uploads/${jobId}`), { headers: { 'upload-offset': '0', 'content-type': 'application/octet-stream' }, data: content })
  if (put.status() !== 200) return { jobId, status: `refused ${put.status()}` }
  let status = ''
  for (let i = 0; i < 120 && !['succeeded', 'failed', 'not_applicable'].includes(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    status = ((await (await page.request.get(url(`/api/uploads/${jobId}`))).json()) as { status: string }).status
  }
  if (status !== 'succeeded') return { jobId, status }
  for (let i = 0; i < 120; i++) {
    const { datasets } = (await (await page.request.get(url('/api/datasets'))).json()) as { datasets: { name: string; derived: { status: string } }[] }
    const derived = datasets.find((d) => d.name === dataset)?.derived.status
    if (derived === 'current') break
    if (derived === 'failed') return { jobId, status: 'findings failed to update' }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return { jobId, status }
}
