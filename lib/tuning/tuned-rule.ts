import { getPrisma } from '@/lib/db/database'
import { RequestError } from '@/lib/errors'
import { exportRule, RULE_LANGUAGES, type RuleExport, type RuleLanguage } from './rule-export'
import { datasetSettings } from './dataset-settings'
import { listSuppressions } from './suppressions'

/** The dataset's tuned rule in a SIEM's language: its current settings and the suppressions in force now. */
export async function tunedRule(datasetId: number, language: RuleLanguage, now = new Date()): Promise<RuleExport> {
  return (await tunedRules(datasetId, [language], now))[0]
}

export async function tunedRules(datasetId: number, languages: readonly RuleLanguage[] = RULE_LANGUAGES, now = new Date()): Promise<(RuleExport & { language: RuleLanguage })[]> {
  const prisma = await getPrisma()
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId }, select: { name: true } })
  if (!dataset) throw new RequestError(404, `no dataset ${datasetId}`)
  const [settings, suppressions] = await Promise.all([datasetSettings(datasetId), listSuppressions(datasetId)])
  return languages.map((language) => ({ language, ...exportRule(language, settings, suppressions, { datasetName: dataset.name, generatedAt: now }) }))
}
