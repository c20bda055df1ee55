'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import type { ExtendedSettings } from '@/lib/detection/extended-settings'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { tierClass } from '@/components/ui/verdict-badge'

const NUMBER_FIELDS: { name: keyof ExtendedSettings; label: string }[] = [
  { name: 'lowThreshold', label: 'Low-Level from (distinct usernames)' },
  { name: 'moderateThreshold', label: 'Moderate from' },
  { name: 'highThreshold', label: 'High Confidence from' },
  { name: 'windowMinutes', label: 'Window (minutes; the rule: 60)' },
  { name: 'usernameSampleSize', label: 'Username sample size' },
  { name: 'appListSize', label: 'App list size' },
  { name: 'slidingWindowMinutes', label: 'Sliding window (minutes)' },
  { name: 'lowAndSlowWindowHours', label: 'Low-and-slow window (hours)' },
  { name: 'lowAndSlowLowThreshold', label: 'Low and slow: Low from' },
  { name: 'lowAndSlowModerateThreshold', label: 'Low and slow: Moderate from' },
  { name: 'lowAndSlowHighThreshold', label: 'Low and slow: High from' },
  { name: 'escalationHorizonDays', label: 'Escalation horizon (days)' },
  { name: 'campaignGapHours', label: 'Campaign gap (hours)' },
]

interface Preview {
  current: Record<Verdict, number>
  proposed: Record<Verdict, number>
  change: Record<Verdict, number>
}

/** A dataset's detection settings, with a "what if" before saving. */
export function SettingsForm({ datasetId, settings, canEdit }: { datasetId: number; settings: ExtendedSettings; canEdit: boolean }) {
  const router = useRouter()
  const [preview, setPreview] = useState<Preview | null>(null)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  /** Every field as the form shows it. */
  const read = (form: HTMLFormElement): Record<string, unknown> => {
    const data = new FormData(form)
    const values: Record<string, unknown> = {
      errorCodes: String(data.get('errorCodes') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean),
    }
    for (const field of NUMBER_FIELDS) values[field.name] = Number(data.get(field.name))
    return values
  }

  /**
   * Only the fields this lead changed: the server merges them into the settings as they are
   * then, so two leads with the page open each keep their own change instead of the second
   * save writing back the first one's old values.
   */
  const changed = (form: HTMLFormElement): Record<string, unknown> =>
    Object.fromEntries(Object.entries(read(form)).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(settings[name as keyof ExtendedSettings])))

  const run = async (form: HTMLFormElement | null, save: boolean) => {
    if (!form) return
    const change = changed(form)
    if (save && Object.keys(change).length === 0) return setMessage({ ok: true, text: 'Nothing to save: these are the settings in force.' })
    setBusy(true)
    setMessage(null)
    // The preview shows exactly what the form shows, whatever was saved since the page loaded.
    const result = save ? await sendJson('PUT', `/api/datasets/${datasetId}/settings`, change) : await sendJson('POST', `/api/datasets/${datasetId}/settings/preview`, read(form))
    setBusy(false)
    if (!result.ok) return setMessage({ ok: false, text: result.error })
    if (save) {
      setMessage({ ok: true, text: 'Saved; the findings were recomputed with these settings.' })
      setPreview(null)
      router.refresh()
    } else setPreview(result.data as Preview)
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    void run(event.currentTarget, true)
  }

  return (
    <form onSubmit={submit} className="panel form-grid" aria-label="Detection settings" data-testid="settings-form">
      <h2 style={{ margin: 0 }}>Detection settings</h2>
      <fieldset disabled={!canEdit || busy} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="toolbar" style={{ margin: 0 }}>
          <label style={{ minWidth: 280 }}>
            Error codes (the rule: 50034 50053 50055 50056)
            <input type="text" name="errorCodes" defaultValue={settings.errorCodes.join(' ')} />
          </label>
          {NUMBER_FIELDS.map((field) => (
            <label key={field.name}>
              {field.label}
              <input type="text" inputMode="numeric" name={field.name} defaultValue={String(settings[field.name])} style={{ width: 110 }} />
            </label>
          ))}
        </div>
      </fieldset>
      {canEdit && (
        <div style={{ display: 'flex', gap: 8 }}>
          <button type="button" disabled={busy} onClick={(e) => run(e.currentTarget.form, false)}>
            What if? (preview)
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save and recompute
          </button>
        </div>
      )}
      {message && (
        <p className={message.ok ? 'notice' : 'error-box'} role="status">
          {message.text}
        </p>
      )}
      {preview && (
        <table className="data" data-testid="what-if" style={{ maxWidth: 640 }}>
          <thead>
            <tr>
              <th>Tier (reference rule)</th>
              <th className="num">Now</th>
              <th className="num">With these settings</th>
              <th className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {VERDICTS.map((v) => (
              <tr key={v} data-verdict={v}>
                <td>
                  <span className={`badge ${tierClass(v)}`}>{v}</span>
                </td>
                <td className="num">{preview.current[v]}</td>
                <td className="num">{preview.proposed[v]}</td>
                <td className="num">{preview.change[v] > 0 ? `+${preview.change[v]}` : preview.change[v]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  )
}
