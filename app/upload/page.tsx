import { connection } from 'next/server'
import { UploadManager } from '@/components/uploads/upload-manager'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { requirePageRole } from '@/lib/http/page-guard'
import { recentImportsOf } from '@/lib/uploads/recent-imports'
import { uploadLimits } from '@/lib/uploads/upload-limits'

export const metadata = { title: 'Upload' }

export default async function UploadPage() {
  await connection()
  const actor = await requirePageRole('analyst', '/upload')
  const [datasets, recent] = await Promise.all([listDatasetNames(), recentImportsOf(actor.user.id)])
  return (
    <>
      <h1>Upload sign-in logs</h1>
      <p className="muted">
        Each file streams to the server in chunks and survives a flaky connection; its import runs on the server, so you can leave this page. The
        format is recognised from the content.
      </p>
      <UploadManager datasets={datasets.map((d) => d.name)} maxBytes={uploadLimits().maxBytes} recent={recent} />
    </>
  )
}
