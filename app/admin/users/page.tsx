import { connection } from 'next/server'
import { UsersManager } from '@/components/admin/users-manager'
import { listUsers } from '@/lib/auth/users'
import { requirePageRole } from '@/lib/http/page-guard'

export const metadata = { title: 'Users' }

export default async function UsersPage() {
  await connection()
  const actor = await requirePageRole('admin', '/admin/users')
  return (
    <>
      <h1>Users</h1>
      <UsersManager users={await listUsers()} currentUserId={actor.user.id} />
    </>
  )
}
