'use client'

import { useRouter } from 'next/navigation'
import { useRef, useState, type DragEvent } from 'react'
import { formatBytes } from '@/components/ui/format'
import { ImportProgressHead, ImportProgressRow } from './import-progress-row'
import { uploadFile, UploadRefused } from './upload-file'

interface Item {
  key: string
  file: File
  jobId: number | null
  sent: number
  error: string | null
}

/**
 * Drag-and-drop (or pick) several exports into a new or existing dataset. Files go one after
 * another; each one's import runs on the server and keeps going if this page is left.
 */
export function UploadManager({ datasets, maxBytes }: { datasets: string[]; maxBytes: number }) {
  const router = useRouter()
  const [dataset, setDataset] = useState(datasets[0] ?? '')
  const [items, setItems] = useState<Item[]>([])
  const [dragging, setDragging] = useState(false)
  const queue = useRef(Promise.resolve())
  const inputRef = useRef<HTMLInputElement>(null)

  const update = (key: string, change: Partial<Item>) => setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)))

  const add = (files: FileList | null) => {
    if (!files || files.length === 0) return
    const target = dataset.trim()
    if (!target) {
      alert('Choose or name a dataset first.')
      return
    }
    const added: Item[] = [...files].map((file, i) => ({ key: `${Date.now()}-${i}-${file.name}`, file, jobId: null, sent: 0, error: file.size > maxBytes ? `larger than the upload limit (${formatBytes(maxBytes)})` : null }))
    setItems((all) => [...added, ...all])
    for (const item of added) {
      if (item.error) continue
      queue.current = queue.current.then(async () => {
        try {
          await uploadFile(item.file, target, {
            onStarted: (jobId) => update(item.key, { jobId }),
            onProgress: (sent) => update(item.key, { sent }),
          })
          update(item.key, { sent: item.file.size })
          router.refresh()
        } catch (error) {
          update(item.key, { error: error instanceof UploadRefused ? error.message : `upload failed: ${(error as Error).message}` })
        }
      })
    }
  }

  const drop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    add(event.dataTransfer.files)
  }

  return (
    <section aria-label="Upload">
      <div className="toolbar">
        <label>
          Dataset (existing, or a new name)
          <input type="text" list="datasets" value={dataset} onChange={(e) => setDataset(e.target.value)} name="dataset" placeholder="e.g. incident-2026-03-02" required />
          <datalist id="datasets">
            {datasets.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
      </div>
      <div
        className="empty"
        style={{ borderColor: dragging ? 'var(--accent)' : undefined, background: dragging ? '#eef5fc' : undefined, cursor: 'pointer' }}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        onClick={() => inputRef.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && inputRef.current?.click()}
        role="button"
        tabIndex={0}
        aria-label="Drop sign-in log files here or press to choose them"
        data-testid="drop-zone"
      >
        <strong>Drop sign-in log exports here</strong> or click to choose them.
        <div className="muted">
          Entra portal CSV/JSON, Graph JSON, Log Analytics CSV/JSON, diagnostic-settings JSON, LogScale NDJSON — plain or .gz, up to {formatBytes(maxBytes)} each.
        </div>
        <input ref={inputRef} type="file" multiple hidden onChange={(e) => add(e.target.files)} accept=".csv,.json,.jsonl,.ndjson,.gz,.txt,.log" data-testid="file-input" />
      </div>
      {items.length > 0 && (
        <div className="table-scroll" style={{ marginTop: 16 }}>
          <table className="data" data-testid="uploads-table">
            <ImportProgressHead />
            <tbody>
              {items.map((item) =>
                item.error ? (
                  <tr key={item.key} data-testid="upload-row" data-status="refused" data-file={item.file.name}>
                    <td>{item.file.name}</td>
                    <td colSpan={9}>
                      <span className="error-box" role="alert">
                        {item.error}
                      </span>
                    </td>
                  </tr>
                ) : (
                  <ImportProgressRow key={item.key} jobId={item.jobId} fileName={item.file.name} uploadedBytes={item.sent} uploadTotal={item.file.size} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
