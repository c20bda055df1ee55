// Loaded with `node --require` into the app server by `npm run bench:pages -- --explain`
// (scripts/bench-pages.ts): appends every read statement the server sends to PostgreSQL, with
// its bound values, as one JSON line to $ET_TRACE_SQL_FILE, so the bench can EXPLAIN exactly
// what each route ran. Inert without that variable. CommonJS because `--require` preloads it
// before the server's own modules, and `pg` is one shared module (Next keeps it external).
const file = process.env.ET_TRACE_SQL_FILE
if (file) {
  const fs = require('node:fs')
  const pg = require('pg')
  const query = pg.Client.prototype.query
  const leadingComments = /^(\s*--[^\n]*\n|\s+)*/
  const replacer = (_key, value) => (typeof value === 'bigint' ? value.toString() : Buffer.isBuffer(value) ? null : value)
  pg.Client.prototype.query = function (config, values, callback) {
    const text = typeof config === 'string' ? config : config && config.text
    const params = typeof config === 'string' ? (Array.isArray(values) ? values : undefined) : config && config.values
    if (typeof text === 'string' && /^(select|with)\b/i.test(text.replace(leadingComments, ''))) {
      try {
        fs.appendFileSync(file, JSON.stringify({ text, values: params ?? [] }, replacer) + '\n')
      } catch {
        // tracing is best effort: never fail the request for it
      }
    }
    return query.call(this, config, values, callback)
  }
}
