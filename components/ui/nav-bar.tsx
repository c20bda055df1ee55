'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { SignOutButton } from '@/components/auth/sign-out-button'
import { atLeast, type Role } from '@/lib/auth/roles'

const LINKS: { href: string; label: string; role: Role }[] = [
  { href: '/', label: 'Overview', role: 'viewer' },
  { href: '/findings', label: 'Findings', role: 'viewer' },
  { href: '/campaigns', label: 'Campaigns', role: 'viewer' },
  { href: '/review', label: 'Review', role: 'lead' },
  { href: '/datasets', label: 'Datasets', role: 'viewer' },
  { href: '/upload', label: 'Upload', role: 'analyst' },
  { href: '/tuning', label: 'Tuning', role: 'viewer' },
  { href: '/connectors', label: 'Connectors', role: 'admin' },
  { href: '/admin/users', label: 'Users', role: 'admin' },
]

/** The main navigation; links a role cannot use are not shown (the server refuses them anyway). */
export function NavBar({ user }: { user: { email: string; role: Role } | null }) {
  const pathname = usePathname()
  const current = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href))
  return (
    <header className="topbar">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <Link className="brand" href="/">
        Enumeration Triage
      </Link>
      {user && (
        <nav aria-label="Main">
          {LINKS.filter((link) => atLeast(user.role, link.role)).map((link) => (
            <Link key={link.href} href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
              {link.label}
            </Link>
          ))}
        </nav>
      )}
      {user && (
        <span style={{ marginLeft: 'auto', display: 'flex', gap: 12, alignItems: 'center' }}>
          <Link href="/account" className="muted" data-testid="signed-in-as">
            {user.email} · {user.role}
          </Link>
          <SignOutButton />
        </span>
      )}
    </header>
  )
}
