'use client'

import { useRouter } from 'next/navigation'
import { useRef, useState, type DragEvent } from 'react'
import { formatBytes } from '@/components/ui/format'
import { ImportProgressHead, ImportProgressRow } from './import-progress-row'
import { uploadFile, UploadRefused } from './upload-file'

interface Item {
  key: string
  file: File
  dataset: string
  jobId: number | null
  sent: number
  error: string | null
}

type Target = { kind: 'new'; name: string } | { kind: 'existing'; name: string } | null

/**
 * Drag-and-drop (or pick) several exports, then send them into the dataset the analyst chose:
 * a new one (named here) or an existing one (picked from the list). Nothing is pre-filled and
 * nothing is sent before that choice and the Upload button. Files go one after another; each
 * one's import runs on the server and keeps going if this page is left.
 */
export function UploadManager({ datasets, maxBytes, recent }: { datasets: string[]; maxBytes: number; recent: { id: number; fileName: string; datasetName: string }[] }) {
  const router = useRouter()
  const [mode, setMode] = useState<'new' | 'existing' | null>(null)
  const [newName, setNewName] = useState('')
  const [existing, setExisting] = useState('')
  const [staged, setStaged] = useState<File[]>([])
  const [items, setItems] = useState<Item[]>([])
  const [dragging, setDragging] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const queue = useRef(Promise.resolve())
  const inputRef = useRef<HTMLInputElement>(null)

  const update = (key: string, change: Partial<Item>) => setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)))

  const target: Target = mode === 'new' && newName.trim() ? { kind: 'new', name: newName.trim() } : mode === 'existing' && existing ? { kind: 'existing', name: existing } : null
  const nameTaken = mode === 'new' && datasets.some((d) => d.toLowerCase() === newName.trim().toLowerCase())

  const stage = (files: FileList | null) => {
    if (!files || files.length === 0) return
    // Copied now: the input is cleared right after, which empties its live FileList.
    const picked = [...files]
    setProblem(null)
    setStaged((old) => [...old, ...picked.filter((f) => !old.some((o) => o.name === f.name && o.size === f.size))])
  }

  const send = () => {
    if (!target) return setProblem('Choose the dataset these files go into: a new one (give it a name) or an existing one.')
    if (target.kind === 'new' && nameTaken) return setProblem(`A dataset named “${target.name}” exists already: choose it under “An existing dataset” to add to it, or give the new one another name.`)
    setProblem(null)
    const added: Item[] = staged.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      file,
      dataset: target.name,
      jobId: null,
      sent: 0,
      error: file.size > maxBytes ? `larger than the upload limit (${formatBytes(maxBytes)})` : null,
    }))
    setStaged([])
    // The next files need their own choice: never a dataset left selected from an earlier upload.
    setMode(null)
    setNewName('')
    setExisting('')
    setItems((all) => [...added, ...all])
    for (const item of added) {
      if (item.error) continue
      queue.current = queue.current.then(async () => {
        try {
          await uploadFile(item.file, item.dataset, {
            onStarted: (jobId) => update(item.key, { jobId }),
            onProgress: (sent) => update(item.key, { sent }),
          })
          update(item.key, { sent: item.file.size })
        } catch (error) {
          update(item.key, { error: error instanceof UploadRefused ? error.message : `upload failed: ${(error as Error).message}` })
        }
        router.refresh()
      })
    }
  }

  const drop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    stage(event.dataTransfer.files)
  }

  const options = datasets
  const choices = target && !nameTaken ? `into ${target.kind === 'new' ? 'the new dataset' : 'the dataset'} “${target.name}”` : null
  const live = new Set(items.map((item) => item.jobId).filter((id): id is number => id !== null))
  const earlier = recent.filter((job) => !live.has(job.id))

  return (
    <section aria-label="Upload">
      <fieldset className="panel" style={{ marginBottom: 12 }} data-testid="upload-target">
        <legend>
          <strong>1. Into which dataset?</strong>
        </legend>
        <div className="toolbar" style={{ margin: 0, alignItems: 'center' }}>
          <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
            <input type="radio" name="target" value="new" checked={mode === 'new'} onChange={() => setMode('new')} /> A new dataset named
          </label>
          <input
            type="text"
            value={newName}
            onChange={(e) => {
              setNewName(e.target.value)
              setMode('new')
            }}
            name="dataset"
            placeholder="e.g. incident-2026-03-02"
            aria-label="Name of the new dataset"
            aria-invalid={nameTaken || undefined}
          />
          {options.length > 0 && (
            <>
              <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
                <input type="radio" name="target" value="existing" checked={mode === 'existing'} onChange={() => setMode('existing')} /> An existing dataset
              </label>
              <select
                value={existing}
                onChange={(e) => {
                  setExisting(e.target.value)
                  setMode(e.target.value ? 'existing' : mode)
                }}
                name="existingDataset"
                aria-label="Existing dataset"
              >
                <option value="">choose…</option>
                {options.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </>
          )}
        </div>
        {nameTaken && (
          <p className="field-error" role="alert">
            A dataset named “{newName.trim()}” exists already: pick it under “An existing dataset” to add to it.
          </p>
        )}
      </fieldset>
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
        data-testid="drop-zone"
      >
        <strong>2. Drop sign-in log exports here</strong> or click to choose them. Nothing is sent until you press Upload.
        <div className="muted">
          Entra portal CSV/JSON, Graph JSON, Log Analytics CSV/JSON, diagnostic-settings JSON, LogScale NDJSON — plain or .gz, up to {formatBytes(maxBytes)} each.
        </div>
        <input
          ref={inputRef}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            stage(e.target.files)
            e.target.value = ''
          }}
          accept=".csv,.json,.jsonl,.ndjson,.gz,.txt,.log"
          data-testid="file-input"
        />
      </div>
      {staged.length > 0 && (
        <div className="toolbar" data-testid="staged-files">
          <span>
            {staged.length} {staged.length === 1 ? 'file' : 'files'} ready ({formatBytes(staged.reduce((sum, f) => sum + f.size, 0))}): {staged.map((f) => f.name).join(', ')}
          </span>
          <button type="button" className="primary" onClick={send} disabled={!choices} data-testid="upload-button">
            {choices ? `3. Upload ${staged.length === 1 ? 'it' : `these ${staged.length}`} ${choices}` : '3. Upload (choose the dataset first)'}
          </button>
          <button type="button" onClick={() => setStaged([])}>
            Remove
          </button>
        </div>
      )}
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {items.length > 0 && (
        <div className="table-scroll" style={{ marginTop: 16 }} tabIndex={0} role="region" aria-label="Uploads in progress">
          <table className="data" data-testid="uploads-table">
            <ImportProgressHead />
            <tbody>
              {items.map((item) =>
                item.error ? (
                  <tr key={item.key} data-testid="upload-row" data-status="refused" data-file={item.file.name} data-dataset={item.dataset}>
                    <td>
                      {item.file.name}
                      <div className="muted">into “{item.dataset}”</div>
                    </td>
                    <td colSpan={9}>
                      <span className="error-box" role="alert">
                        {item.error}
                      </span>
                    </td>
                  </tr>
                ) : (
                  <ImportProgressRow key={item.key} jobId={item.jobId} fileName={item.file.name} datasetName={item.dataset} uploadedBytes={item.sent} uploadTotal={item.file.size} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {earlier.length > 0 && (
        <>
          <h2>Your earlier imports</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Your earlier imports">
            <table className="data" data-testid="recent-imports">
              <ImportProgressHead />
              <tbody>
                {earlier.map((job) => (
                  <ImportProgressRow key={job.id} jobId={job.id} fileName={job.fileName} datasetName={job.datasetName} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
