'use client'

import { useState } from 'react'

export interface RuleExportView {
  language: 'kql' | 'spl' | 'cql' | 'sigma'
  fileName: string
  text: string
}

const LABELS: Record<RuleExportView['language'], string> = {
  kql: 'KQL · Microsoft Sentinel',
  spl: 'SPL · Splunk',
  cql: 'CQL · Falcon LogScale',
  sigma: 'Sigma',
}

/** The tuned rule for the team's SIEM: pick a language, read it, copy it or download it. */
export function RuleExportPanel({ datasetId, exports }: { datasetId: number; exports: RuleExportView[] }) {
  const [language, setLanguage] = useState<RuleExportView['language']>(exports[0]?.language ?? 'kql')
  const [copied, setCopied] = useState(false)
  const current = exports.find((e) => e.language === language) ?? exports[0]
  if (!current) return null

  const copy = async () => {
    await navigator.clipboard.writeText(current.text)
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }

  return (
    <section className="panel" aria-labelledby="rule-export-heading" data-testid="rule-export">
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 id="rule-export-heading" style={{ margin: 0 }}>
          Export the tuned rule
        </h2>
        <div className="toolbar">
          <button type="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <a className="button" href={`/api/datasets/${datasetId}/rule-export?language=${current.language}`} download={current.fileName} data-testid="rule-export-download">
            Download {current.fileName}
          </a>
        </div>
      </div>
      <p className="muted" style={{ marginTop: 0 }}>
        The reference rule with this dataset&apos;s settings and the suppressions in force now, for the SIEM you already run. The sliding window, low-and-slow, escalation and
        campaigns stay in this product.
      </p>
      <div
        role="tablist"
        aria-label="SIEM language"
        className="tier-chips"
        onKeyDown={(event) => {
          // Tabs move with the arrow keys; Tab itself goes on to the rule text.
          if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
          const index = exports.findIndex((e) => e.language === language)
          const next = exports[(index + (event.key === 'ArrowRight' ? 1 : exports.length - 1)) % exports.length]
          setLanguage(next.language)
          document.getElementById(`rule-tab-${next.language}`)?.focus()
        }}
      >
        {exports.map((e) => (
          <button
            key={e.language}
            id={`rule-tab-${e.language}`}
            type="button"
            role="tab"
            className="tier-chip"
            aria-selected={e.language === language}
            aria-controls="rule-tab-panel"
            tabIndex={e.language === language ? 0 : -1}
            onClick={() => setLanguage(e.language)}
          >
            {LABELS[e.language]}
          </button>
        ))}
      </div>
      <pre className="raw rule-text" role="tabpanel" id="rule-tab-panel" aria-labelledby={`rule-tab-${current.language}`} tabIndex={0} data-testid="rule-export-text">
        {current.text}
      </pre>
    </section>
  )
}
