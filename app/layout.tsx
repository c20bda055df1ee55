import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { NavBar } from '@/components/ui/nav-bar'
import { requestActor } from '@/lib/http/request-actor'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Enumeration Triage', template: '%s · Enumeration Triage' },
  description: 'Find and triage username enumeration against Microsoft Entra ID (MITRE ATT&CK T1589.002)',
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await requestActor()
  return (
    <html lang="en">
      <body>
        <NavBar user={actor ? { email: actor.user.email, role: actor.user.role } : null} />
        <main id="content">{children}</main>
      </body>
    </html>
  )
}
