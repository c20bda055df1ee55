'use client'

import Link from 'next/link'
import { useEffect, useState } from 'react'
import { lastFindingsView } from './findings-view-memory'

/** A breadcrumb to the findings view the analyst came from, filters and page included. */
export function BackToFindings() {
  const [href, setHref] = useState('/findings')
  useEffect(() => {
    const view = lastFindingsView()
    if (view) setHref(view)
  }, [])
  return (
    <Link href={href} data-testid="back-to-findings">
      {href.startsWith('/review') ? 'Review queue' : 'Findings'}
    </Link>
  )
}
