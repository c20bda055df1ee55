import { redirect } from 'next/navigation'
import { connection } from 'next/server'
import { LoginForm } from '@/components/auth/login-form'
import { singleSignOnLabel } from '@/lib/auth/oidc-config'
import { knownSignInFailure } from '@/lib/auth/oidc-error'
import { safeNextPath } from '@/lib/auth/safe-next'
import { countUsers } from '@/lib/auth/users'
import { requestActor } from '@/lib/http/request-actor'

export const metadata = { title: 'Sign in' }

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const params = await searchParams
  const next = safeNextPath(params.next)
  if (await requestActor()) redirect(next)
  if ((await countUsers()) === 0) redirect('/setup')
  const label = singleSignOnLabel()
  const failure = knownSignInFailure(params.error)
  return (
    <>
      <h1>Sign in</h1>
      {failure && (
        <p className="error-box" role="alert">
          {failure}
        </p>
      )}
      <LoginForm next={next} singleSignOn={label ? { label } : null} />
    </>
  )
}
