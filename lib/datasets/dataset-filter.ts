/** The `dataset` URL parameter(s) as ids; null means every dataset. */
export function datasetFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): number[] | null {
  const values = params instanceof URLSearchParams ? params.getAll('dataset') : [params.dataset ?? []].flat()
  const ids = values.map(Number).filter((n) => Number.isInteger(n) && n > 0)
  return ids.length ? ids : null
}
