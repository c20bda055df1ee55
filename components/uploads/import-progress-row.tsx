'use client'

import Link from 'next/link'
import { useEffect, useState } from 'react'
import { formatBytes, formatNumber } from '@/components/ui/format'
import { ImportStatusBadge } from '@/components/ui/import-status-badge'
import type { ImportProgress } from '@/lib/uploads/import-progress'

const FINISHED = new Set(['succeeded', 'failed', 'not_applicable'])

function duration(seconds: number | null): string {
  if (seconds === null) return '—'
  if (seconds < 60) return `${seconds} s`
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

/** The columns of ImportProgressRow, for every table of imports in progress or done. */
export function ImportProgressHead() {
  return (
    <thead>
      <tr>
        <th>File</th>
        <th>Upload</th>
        <th>Status</th>
        <th className="num">Read</th>
        <th className="num">Inserted</th>
        <th className="num">Duplicates</th>
        <th className="num">Rejected</th>
        <th className="num">Rate</th>
        <th className="num">Left</th>
        <th>Report</th>
      </tr>
    </thead>
  )
}

/** Live progress of one import (polled), then its report with the rejected rows. */
export function ImportProgressRow({ jobId, fileName, datasetName, uploadedBytes, uploadTotal }: { jobId: number | null; fileName: string; datasetName?: string; uploadedBytes?: number; uploadTotal?: number }) {
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const done = progress !== null && FINISHED.has(progress.status)
  const uploading = uploadTotal !== undefined && (uploadedBytes ?? 0) < uploadTotal

  useEffect(() => {
    if (jobId === null || done || uploading) return
    let stopped = false
    const poll = async () => {
      const response = await fetch(`/api/uploads/${jobId}`).catch(() => null)
      if (response?.ok && !stopped) setProgress((await response.json()) as ImportProgress)
    }
    void poll()
    const timer = setInterval(poll, 1000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [jobId, done, uploading])

  const status = uploading ? 'uploading' : (progress?.status ?? 'waiting')
  return (
    <tr data-testid="upload-row" data-status={status} data-file={fileName} data-dataset={datasetName}>
      <td style={{ wordBreak: 'break-all' }}>
        {fileName}
        {datasetName && <div className="muted">into “{datasetName}”</div>}
      </td>
      <td>
        {uploadTotal !== undefined ? (
          <>
            <progress max={uploadTotal} value={uploadedBytes ?? 0} aria-label={`Upload of ${fileName}`} /> {formatBytes(uploadedBytes ?? 0)} / {formatBytes(uploadTotal)}
          </>
        ) : (
          '—'
        )}
      </td>
      <td>
        <ImportStatusBadge status={status} rowsRejected={progress?.rowsRejected ?? 0} />
        {progress?.format && <div className="muted">{progress.format}</div>}
      </td>
      <td className="num">{formatNumber(progress?.rowsRead ?? 0)}</td>
      <td className="num">{formatNumber(progress?.rowsInserted ?? 0)}</td>
      <td className="num">{formatNumber(progress?.rowsDuplicate ?? 0)}</td>
      <td className="num">{formatNumber(progress?.rowsRejected ?? 0)}</td>
      <td className="num">{progress?.rowsPerSecond ? `${formatNumber(progress.rowsPerSecond)}/s` : '—'}</td>
      <td className="num">{done ? 'done' : duration(progress?.etaSeconds ?? null)}</td>
      <td>
        {progress?.error && <div className={progress.status === 'failed' ? 'error-box' : 'muted'}>{progress.error}</div>}
        {done && progress && progress.rejections.length > 0 && (
          <details>
            <summary>{formatNumber(progress.rowsRejected)} rejected rows</summary>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {progress.rejections.slice(0, 10).map((r, i) => (
                <li key={i}>
                  line {r.recordNumber}: {r.reason}
                </li>
              ))}
            </ul>
            <Link href={`/datasets/${progress.datasetId}`}>all rejected rows</Link>
          </details>
        )}
        {done && progress?.status === 'succeeded' && (
          <Link href={`/findings?dataset=${progress.datasetId}`}>findings</Link>
        )}
      </td>
    </tr>
  )
}
