import Link from 'next/link'
import { connection } from 'next/server'
import { DatasetPicker } from '@/components/datasets/dataset-picker'
import { SettingsForm } from '@/components/tuning/settings-form'
import { RuleExportPanel } from '@/components/tuning/rule-export-panel'
import { SuppressionRules } from '@/components/tuning/suppression-rules'
import { can } from '@/lib/auth/roles'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { requirePageRole } from '@/lib/http/page-guard'
import { datasetSettings } from '@/lib/tuning/dataset-settings'
import { listSuppressions, SUPPRESSION_TEMPLATES } from '@/lib/tuning/suppressions'
import { tunedRules } from '@/lib/tuning/tuned-rule'

export const metadata = { title: 'Tuning' }

export default async function TuningPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('viewer', '/tuning')
  const datasets = await listDatasetNames()
  const datasetId = datasetFilter(await searchParams)?.[0] ?? datasets[0]?.id ?? null
  const canEdit = can(actor.user.role, 'settings')
  const [settings, rules, exports] = await Promise.all([datasetId ? datasetSettings(datasetId) : null, listSuppressions(datasetId), datasetId ? tunedRules(datasetId) : []])
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Tuning</h1>
          <span className="muted">
            Per-dataset detection settings, suppressions for known-benign sources, and the tuned rule for your SIEM. {canEdit ? '' : 'Leads change these; you can read them.'}
          </span>
        </div>
        {datasets.length > 0 && <DatasetPicker datasets={datasets} selected={datasetId} />}
      </div>
      {datasetId && settings ? (
        <div className="grid" style={{ gap: 16 }}>
          <SettingsForm datasetId={datasetId} settings={settings} canEdit={canEdit} />
          <SuppressionRules rules={rules} templates={SUPPRESSION_TEMPLATES} datasetId={datasetId} canEdit={canEdit} />
          <RuleExportPanel datasetId={datasetId} exports={exports.map(({ language, fileName, text }) => ({ language, fileName, text }))} />
        </div>
      ) : (
        <div className="empty">
          <strong>No dataset yet.</strong> <Link href="/upload">Upload logs</Link> first.
        </div>
      )}
    </>
  )
}
