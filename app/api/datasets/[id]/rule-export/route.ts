import { RequestError } from '@/lib/errors'
import { withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { isRuleLanguage, RULE_LANGUAGES } from '@/lib/tuning/rule-export'
import { tunedRule } from '@/lib/tuning/tuned-rule'

type Context = { params: Promise<{ id: string }> }

/** GET /api/datasets/{id}/rule-export?language=kql|spl|cql|sigma — the tuned rule as a file for that SIEM. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = await idParam(params, 'dataset')
  const language = request.nextUrl.searchParams.get('language') ?? 'kql'
  if (!isRuleLanguage(language)) throw new RequestError(400, `language must be one of ${RULE_LANGUAGES.join(', ')}`)
  const rule = await tunedRule(id, language)
  return new Response(rule.text, {
    headers: {
      'content-type': rule.contentType,
      'content-disposition': `attachment; filename="${rule.fileName.replace(/[^\w.-]/g, '_')}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  })
})
