import { writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { closeDatabase, getPool } from '@/lib/db/database'
import { projectRoot } from '@/lib/db/project-root'
import { benchRoutes, startApp } from './pages'

/**
 * `npx tsx scripts/bench/page-sizes.ts [datasetId] [texts...]`: the bytes each bench route sends (HTML or
 * JSON, and gzipped; only routes containing one of the texts), one signed-in request each, on the database in DATABASE_URL. Page size is
 * what server rendering costs under load once the queries are cheap (issue 11, part 3).
 */
async function main() {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('set DATABASE_URL')
  const pool = await getPool()
  const datasetId = Number(process.argv[2]) || (await pool.query<{ id: number }>('SELECT dataset_id AS id FROM sign_in_events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1')).rows[0].id
  const only = process.argv.slice(3)
  const routes = (await benchRoutes(datasetId)).filter((r) => !only.length || only.some((t) => r.includes(t)))
  const app = await startApp(projectRoot(), url, 3918)
  try {
    for (const route of routes) {
      const response = await fetch(app.origin + route, { headers: { cookie: app.cookie }, redirect: 'manual' })
      const body = Buffer.from(await response.arrayBuffer())
      // PAGE_SIZES_SAVE=dir keeps each body to see what makes a page big.
      if (process.env.PAGE_SIZES_SAVE) writeFileSync(`${process.env.PAGE_SIZES_SAVE}/${encodeURIComponent(route)}`, body)
      console.log(`${route.padEnd(48)} ${String(response.status).padStart(4)} ${(body.length / 1000).toFixed(1).padStart(9)} kB ${(gzipSync(body).length / 1000).toFixed(1).padStart(8)} kB gzip`)
    }
  } finally {
    await app.stop()
    await closeDatabase()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
