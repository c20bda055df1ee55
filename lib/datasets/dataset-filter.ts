import { parseId } from '@/lib/http/edge-input'

/**
 * The `dataset` URL parameter(s) as ids; null means every dataset. Values that cannot be an id
 * are left out (API routes have refused them already, lib/http/api-guard.ts).
 */
export function datasetFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): number[] | null {
  const values = params instanceof URLSearchParams ? params.getAll('dataset') : [params.dataset ?? []].flat()
  const ids = values.map(parseId).filter((n): n is number => n !== null)
  return ids.length ? ids : null
}
