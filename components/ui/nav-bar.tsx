'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useState } from 'react'
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

/**
 * The main navigation; links a role cannot use are not shown (the server refuses them anyway).
 * On a phone it folds into a menu button. After moving to another page, focus goes to the
 * page's heading, so keyboard and screen-reader users start reading there, not at the top.
 */
export function NavBar({ user }: { user: { email: string; role: Role } | null }) {
  const pathname = usePathname()
  const [open, setOpen] = useState(false)
  const firstPath = useRef(pathname)
  const current = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href))
  const tablePage = pathname === '/findings' || pathname === '/review'

  useEffect(() => {
    setOpen(false)
    if (pathname === firstPath.current) return
    firstPath.current = pathname
    const heading = document.querySelector<HTMLElement>('main h1')
    if (!heading) return
    heading.tabIndex = -1
    heading.focus({ preventScroll: true })
  }, [pathname])

  return (
    <header className={`topbar${open ? ' open' : ''}`}>
      {tablePage && (
        <a className="skip-link" href="#first-finding">
          Skip to the findings table
        </a>
      )}
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <Link className="brand" href="/">
        Enumeration Triage
      </Link>
      {user && (
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
          Menu
        </button>
      )}
      {user && (
        <nav aria-label="Main" id="main-nav">
          {LINKS.filter((link) => atLeast(user.role, link.role)).map((link) => (
            <Link key={link.href} href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
              {link.label}
            </Link>
          ))}
        </nav>
      )}
      {user && (
        <span className="account-links" style={{ marginLeft: 'auto', gap: 12, alignItems: 'center' }}>
          <Link href="/account" className="muted" data-testid="signed-in-as">
            {user.email} · {user.role}
          </Link>
          <SignOutButton />
        </span>
      )}
    </header>
  )
}
