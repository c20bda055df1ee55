import path from 'node:path'
import { DATA_START, EVENTS_PER_HOUR, writePortalCsv } from './portal-csv'

/**
 * More hours after a bench export, one portal CSV each, for appending one hour after another to a
 * kept bench database (`npx tsx scripts/bench/more-hours.ts DIR FIRST COUNT`; not part of
 * `npm run bench`). Hour FIRST counts from the bench data's start: a `--ten-million` export holds
 * hours 0–719 and its extra file is hour 720, so FIRST 721 goes on from there (1 M: hours 0–62 and 63, so 64).
 */
const [dir, first, count] = process.argv.slice(2)
if (!dir || !first || !count) throw new Error('usage: tsx scripts/bench/more-hours.ts DIR FIRST COUNT')
for (let h = Number(first); h < Number(first) + Number(count); h++) {
  const file = path.join(dir, `InteractiveSignIns_hour_${h}.csv`)
  await writePortalCsv(file, { rows: EVENTS_PER_HOUR, seed: 20261128 + h, hours: 1, start: new Date(DATA_START.getTime() + h * 3_600_000) })
  console.log(file)
}
