'use client'

import { useRouter } from 'next/navigation'
import { Fragment, useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import type { ExtendedSettings } from '@/lib/detection/extended-settings'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { tierClass } from '@/components/ui/verdict-badge'

/** Each number the form takes, with the range the server accepts (lib/detection/extended-settings.ts). */
const NUMBER_FIELDS: { name: keyof ExtendedSettings; label: string; min: number; max?: number }[] = [
  { name: 'lowThreshold', label: 'Low-Level from (usernames)', min: 1 },
  { name: 'moderateThreshold', label: 'Moderate from', min: 1 },
  { name: 'highThreshold', label: 'High Confidence from', min: 1 },
  { name: 'windowMinutes', label: 'Window (minutes; the rule: 60)', min: 1, max: 7 * 24 * 60 },
  { name: 'usernameSampleSize', label: 'Username sample size', min: 0, max: 1000 },
  { name: 'appListSize', label: 'App list size', min: 0, max: 1000 },
  { name: 'slidingWindowMinutes', label: 'Sliding window (minutes)', min: 5, max: 24 * 60 },
  { name: 'lowAndSlowWindowHours', label: 'Low-and-slow window (hours)', min: 2, max: 30 * 24 },
  { name: 'lowAndSlowLowThreshold', label: 'Low and slow: Low from', min: 1 },
  { name: 'lowAndSlowModerateThreshold', label: 'Low and slow: Moderate from', min: 1 },
  { name: 'lowAndSlowHighThreshold', label: 'Low and slow: High from', min: 1 },
  { name: 'escalationHorizonDays', label: 'Escalation horizon (days)', min: 0, max: 90 },
  { name: 'campaignGapHours', label: 'Campaign gap (hours)', min: 1, max: 7 * 24 },
]

type FieldErrors = Partial<Record<string, string>>

/** What is wrong with the form, in words, by field: checked before anything is sent. */
function validate(data: FormData): FieldErrors {
  const errors: FieldErrors = {}
  const codes = String(data.get('errorCodes') ?? '').split(/[\s,]+/).filter(Boolean)
  if (codes.length === 0) errors.errorCodes = 'Enter at least one error code, e.g. 50034.'
  else if (codes.some((c) => !/^\d+$/.test(c))) errors.errorCodes = `Error codes are numbers: ${codes.filter((c) => !/^\d+$/.test(c)).slice(0, 3).join(', ')} is not.`
  const numbers: Record<string, number> = {}
  for (const field of NUMBER_FIELDS) {
    const text = String(data.get(field.name) ?? '').trim()
    const value = Number(text)
    const range = field.max === undefined ? `${field.min} or more` : `from ${field.min} to ${field.max}`
    if (text === '') errors[field.name] = `Enter a whole number, ${range}.`
    else if (!Number.isInteger(value)) errors[field.name] = `“${text.slice(0, 20)}” is not a whole number; enter one ${range}.`
    else if (value < field.min || (field.max !== undefined && value > field.max)) errors[field.name] = `Enter a whole number ${range}.`
    else numbers[field.name] = value
  }
  const rising = (low: string, moderate: string, high: string, what: string) => {
    if (errors[low] || errors[moderate] || errors[high]) return
    if (numbers[moderate] < numbers[low]) errors[moderate] = `${what}: Moderate must be at least Low (${numbers[low]}).`
    else if (numbers[high] < numbers[moderate]) errors[high] = `${what}: High must be at least Moderate (${numbers[moderate]}).`
  }
  rising('lowThreshold', 'moderateThreshold', 'highThreshold', 'Thresholds rise')
  rising('lowAndSlowLowThreshold', 'lowAndSlowModerateThreshold', 'lowAndSlowHighThreshold', 'Low-and-slow thresholds rise')
  return errors
}

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
  const [errors, setErrors] = useState<FieldErrors>({})

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
    const invalid = validate(new FormData(form))
    setErrors(invalid)
    if (Object.keys(invalid).length > 0) {
      // The old preview answered other values: it must not stand beside these.
      setPreview(null)
      setMessage({ ok: false, text: `Correct the ${Object.keys(invalid).length === 1 ? 'field' : `${Object.keys(invalid).length} fields`} marked below; nothing was ${save ? 'saved' : 'previewed'}.` })
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    const change = changed(form)
    if (save && Object.keys(change).length === 0) return setMessage({ ok: true, text: 'Nothing to save: these are the settings in force.' })
    setBusy(true)
    setMessage(null)
    // The preview shows exactly what the form shows, whatever was saved since the page loaded.
    const result = save ? await sendJson('PUT', `/api/datasets/${datasetId}/settings`, change) : await sendJson('POST', `/api/datasets/${datasetId}/settings/preview`, read(form))
    setBusy(false)
    if (!result.ok) {
      setPreview(null)
      return setMessage({ ok: false, text: result.error })
    }
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
      {canEdit ? (
        <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
          <div className="toolbar" style={{ margin: 0, alignItems: 'flex-start' }}>
            <Field name="errorCodes" label="Error codes (the rule: 50034 50053 50055 50056)" defaultValue={settings.errorCodes.join(' ')} error={errors.errorCodes} wide />
            {NUMBER_FIELDS.map((field) => (
              <Field key={field.name} name={field.name} label={field.label} defaultValue={String(settings[field.name])} error={errors[field.name]} numeric />
            ))}
          </div>
        </fieldset>
      ) : (
        // Read-only for this role: values, not inputs that look editable and are not.
        <dl className="facts" data-testid="settings-values">
          <dt>Error codes</dt>
          <dd className="read-only-value">{settings.errorCodes.join(' ')}</dd>
          {NUMBER_FIELDS.map((field) => (
            <Fragment key={field.name}>
              <dt>{field.label}</dt>
              <dd className="read-only-value">{String(settings[field.name])}</dd>
            </Fragment>
          ))}
        </dl>
      )}
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
        <p className={message.ok ? 'notice' : 'error-box'} role={message.ok ? 'status' : 'alert'}>
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

/** One setting: its label, the box, and what is wrong with it right under it. */
function Field({ name, label, defaultValue, error, numeric = false, wide = false }: { name: string; label: string; defaultValue: string; error?: string; numeric?: boolean; wide?: boolean }) {
  const errorId = `setting-${name}-error`
  return (
    <label style={wide ? { minWidth: 280 } : { maxWidth: 200 }}>
      {label}
      <input
        type="text"
        inputMode={numeric ? 'numeric' : undefined}
        name={name}
        defaultValue={defaultValue}
        style={numeric ? { width: 110 } : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <span className="field-error" id={errorId} data-testid={`error-${name}`}>
          {error}
        </span>
      )}
    </label>
  )
}
