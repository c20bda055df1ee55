import type { Actor } from '@/lib/auth/actor'
import { findingsQueryProblems, parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { RequestError } from '@/lib/errors'

/**
 * "Select all N matching this view" sends the view (its query string), not N ids: the server
 * resolves it here, so a bulk change reaches every finding of the view however many there are.
 * The user confirmed a number; if the view now matches another (an import, someone else's
 * change), nothing is changed and they are asked again.
 */
export async function findingsOfView(view: string, expected: number, actor: Actor): Promise<number[]> {
  const params = new URLSearchParams(view.startsWith('?') ? view.slice(1) : view)
  // Paging does not narrow a selection of the whole view.
  params.delete('page')
  params.delete('size')
  const problems = findingsQueryProblems(params)
  if (problems.length) throw new RequestError(400, `the view is not valid: ${problems.join('; ')}`)
  const query = parseFindingsQuery(params)
  // Every matching row in one page; the list query's filters are the view's, whatever they are.
  const page = await listFindings({ ...query, page: 1, pageSize: 2_147_483_647 }, actor.user.id)
  const ids = page.rows.map((r) => r.id)
  if (ids.length !== expected) {
    throw new RequestError(409, `this view now matches ${ids.length.toLocaleString('en-US')} findings, not the ${expected.toLocaleString('en-US')} you confirmed: look at it again and confirm`)
  }
  return ids
}
