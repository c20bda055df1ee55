import { connection } from 'next/server'
import { getPrisma } from '@/lib/db/database'

export default async function Home() {
  await connection()
  const prisma = await getPrisma()
  const datasets = await prisma.dataset.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { events: true } } } })
  return (
    <main>
      <h1>Enumeration Triage</h1>
      <table>
        <thead>
          <tr>
            <th>Dataset</th>
            <th>Events</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>{d._count.events}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  )
}
