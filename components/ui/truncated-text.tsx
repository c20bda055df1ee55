'use client'

import { useState } from 'react'

/**
 * Log values (user agents, usernames) are attacker-controlled: they are rendered as text only,
 * never as HTML. Long ones are cut, with the full value on hover and a button to expand.
 */
export function TruncatedText({ text, max = 48, className = '' }: { text: string; max?: number; className?: string }) {
  const [expanded, setExpanded] = useState(false)
  if (text === '') return <span className="muted">(empty)</span>
  if (text.length <= max) return <span className={className}>{text}</span>
  return (
    <span className={`truncated ${expanded ? 'expanded' : ''} ${className}`}>
      <span className="text" title={text} style={expanded ? undefined : { maxWidth: `${max}ch` }}>
        {text}
      </span>
      {/* The name starts with the word on the button, so speech input ("click more") finds it. */}
      <button type="button" onClick={() => setExpanded(!expanded)} aria-expanded={expanded}>
        {expanded ? 'less' : 'more'}
        <span className="sr-only"> of this value</span>
      </button>
    </span>
  )
}
