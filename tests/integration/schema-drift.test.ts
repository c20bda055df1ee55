import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'

// `prisma migrate diff` needs the native schema engine, which cannot be downloaded here. This
// test reads schema.prisma with Prisma's own parser (the WASM build Prisma's CLI uses) and
// compares it with what the migrations built: tables, columns, types, nullability, defaults,
// enums, primary keys, indexes and foreign keys. A migration that forgets a change in
// schema.prisma (or the reverse) fails here.

const require = createRequire(import.meta.url)
const schemaWasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string }

interface DmmfField {
  name: string
  dbName?: string | null
  kind: 'scalar' | 'object' | 'enum' | 'unsupported'
  type: string
  isList: boolean
  isRequired: boolean
  isUpdatedAt: boolean
  hasDefaultValue: boolean
  nativeType: [string, string[]] | null
  relationFromFields?: string[]
  relationToFields?: string[]
  relationOnDelete?: string
}
interface DmmfModel {
  name: string
  dbName: string | null
  fields: DmmfField[]
  primaryKey: { fields: string[] } | null
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[]
    enums: { name: string; dbName: string | null; values: { name: string }[] }[]
    indexes: { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; fields: { name: string }[] }[]
  }
}

const schemaText = readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8')
const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]] }))) as Dmmf

/** Unsupported("…") fields are absent from the DMMF; read them from the schema text. */
function unsupportedFields(model: string): { name: string; column: string; type: string; required: boolean }[] {
  const body = new RegExp(`model ${model} \\{([\\s\\S]*?)\\n\\}`).exec(schemaText)?.[1] ?? ''
  return [...body.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/gm)].map((m) => ({
    name: m[1],
    type: m[2],
    required: m[3] !== '?',
    column: /@map\("([^"]+)"\)/.exec(m[4])?.[1] ?? m[1],
  }))
}

const table = (model: DmmfModel) => model.dbName ?? model.name
const column = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName)
  if (field) return field.dbName ?? field.name
  const unsupported = unsupportedFields(model.name).find((f) => f.name === fieldName)
  if (!unsupported) throw new Error(`${model.name}.${fieldName} not found`)
  return unsupported.column
}

function expectedType(field: DmmfField): string {
  if (field.kind === 'enum') {
    const e = dmmf.datamodel.enums.find((en) => en.name === field.type)!
    return e.dbName ?? e.name
  }
  const native = field.nativeType?.[0]
  const base: Record<string, string> = {
    Int: 'int4',
    BigInt: 'int8',
    String: native === 'Uuid' ? 'uuid' : native === 'Inet' ? 'inet' : 'text',
    Boolean: 'bool',
    DateTime: native === 'Timestamptz' ? 'timestamptz' : 'timestamp',
    Json: native === 'Json' ? 'json' : 'jsonb',
    Float: 'float8',
    Bytes: 'bytea',
  }
  const type = base[field.type]
  if (!type) throw new Error(`no mapping for ${field.type}`)
  return field.isList ? `_${type}` : type
}

const { url } = useTestDatabase()
let db: pg.Client

interface DbColumn {
  table_name: string
  column_name: string
  udt_name: string
  is_nullable: 'YES' | 'NO'
  column_default: string | null
  datetime_precision: number | null
}
let columns: DbColumn[] = []

beforeAll(async () => {
  db = new pg.Client({ connectionString: url() })
  await db.connect()
  columns = (
    await db.query<DbColumn>(
      `SELECT table_name, column_name, udt_name, is_nullable, column_default, datetime_precision
         FROM information_schema.columns WHERE table_schema = 'public'`,
    )
  ).rows
})
afterAll(() => db.end())

// What the schema language cannot say: an expression in an index. The schema keeps the index's
// columns (Prisma wants a unique criterion on every model); the migration puts the expression in.
const INDEX_EXPRESSIONS: Record<string, string> = {
  // docs/database.md "Event storage": an event is unique by its key within its UTC day
  'sign_in_events unique (dataset_id, event_key)': 'sign_in_events unique (dataset_id, event_day(created_at), event_key)',
}

describe('schema.prisma and the migrated database agree', () => {
  it('have the same tables', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      // A dataset's partitions of the per-event tables (docs/database.md "Event storage") are the
      // partitioned table's, not tables of the schema.
      `SELECT table_name FROM information_schema.tables t
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND NOT (SELECT relispartition FROM pg_class WHERE oid = format('public.%I', t.table_name)::regclass)`,
    )
    const actual = rows.map((r) => r.table_name).filter((t) => t !== '_prisma_migrations').sort()
    expect(actual).toEqual(dmmf.datamodel.models.map(table).sort())
  })

  it('have the same enums and values', async () => {
    const { rows } = await db.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    )
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]))
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.name)]))
    expect(actual).toEqual(expected)
  })

  for (const model of dmmf.datamodel.models) {
    it(`${model.name}: same columns, types, nullability and defaults`, () => {
      const actual = columns
        .filter((c) => c.table_name === table(model))
        .map((c) => ({
          column: c.column_name,
          type: c.udt_name,
          nullable: c.is_nullable === 'YES',
          hasDefault: c.column_default !== null,
          ...(c.udt_name === 'timestamptz' ? { precision: c.datetime_precision } : {}),
        }))
        .sort((a, b) => a.column.localeCompare(b.column))
      const expected = [
        ...model.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => ({
            column: f.dbName ?? f.name,
            type: expectedType(f),
            // Prisma keeps scalar lists nullable in PostgreSQL.
            nullable: f.isList || !f.isRequired,
            hasDefault: f.hasDefaultValue,
            ...(expectedType(f) === 'timestamptz' ? { precision: Number(f.nativeType?.[1][0] ?? 3) } : {}),
          })),
        ...unsupportedFields(model.name).map((f) => ({ column: f.column, type: f.type, nullable: !f.required, hasDefault: false })),
      ].sort((a, b) => a.column.localeCompare(b.column))
      expect(actual).toEqual(expected)
    })
  }

  it('have the same primary keys, unique and plain indexes', async () => {
    const { rows } = await db.query<{ table_name: string; is_primary: boolean; is_unique: boolean; columns: string[] }>(
      // A key part that is an expression (attnum 0) is given as its text.
      `SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
              array_agg(pg_get_indexdef(i.indexrelid, k.ord::int, true) ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        WHERE t.relname <> '_prisma_migrations' AND NOT t.relispartition
          -- key columns only: an index's INCLUDE columns are something the schema language cannot say
          AND k.ord <= i.indnkeyatts
        GROUP BY t.relname, i.indexrelid, i.indisprimary, i.indisunique`,
    )
    const describeIndex = (tableName: string, kind: string, cols: string[]) => `${tableName} ${kind} (${cols.join(', ')})`
    const actual = rows.map((r) => describeIndex(r.table_name, r.is_primary ? 'id' : r.is_unique ? 'unique' : 'normal', r.columns)).sort()
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = dmmf.datamodel.models.find((m) => m.name === index.model)!
        const described = describeIndex(table(model), index.type, index.fields.map((f) => column(model, f.name)))
        return INDEX_EXPRESSIONS[described] ?? described
      })
      .sort()
    expect(actual).toEqual(expected)
  })

  it('have the same foreign keys and delete rules', async () => {
    const { rows } = await db.query<{ table_name: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string }>(
      `SELECT c.conrelid::regclass::text AS table_name,
              array(SELECT attname::text FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY(c.conkey)) AS columns,
              c.confrelid::regclass::text AS ref_table,
              array(SELECT attname::text FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = ANY(c.confkey)) AS ref_columns,
              CASE c.confdeltype WHEN 'c' THEN 'Cascade' WHEN 'n' THEN 'SetNull' WHEN 'r' THEN 'Restrict' WHEN 'd' THEN 'SetDefault' ELSE 'NoAction' END AS on_delete
         FROM pg_constraint c WHERE c.contype = 'f'`,
    )
    const actual = rows.map((r) => `${r.table_name}(${r.columns.join(',')}) -> ${r.ref_table}(${r.ref_columns.join(',')}) on delete ${r.on_delete}`).sort()
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const target = dmmf.datamodel.models.find((m) => m.name === f.type)!
            const cols = f.relationFromFields!.map((name) => column(model, name))
            const refs = f.relationToFields!.map((name) => column(target, name))
            return `${table(model)}(${cols.join(',')}) -> ${table(target)}(${refs.join(',')}) on delete ${f.relationOnDelete ?? 'NoAction'}`
          }),
      )
      .sort()
    expect(actual).toEqual(expected)
  })
})
