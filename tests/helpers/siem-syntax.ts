import { createRequire } from 'node:module'
import { loadAll, YAML11_SCHEMA } from 'js-yaml'
import ipaddr from 'ipaddr.js'

/**
 * Syntax checks for the SIEM rule exports (lib/tuning/rule-export). KQL goes through Microsoft's
 * own Kusto parser and binder; no parser for SPL or LogScale exists as a package, so those get a
 * structural checker: quotes, comments and regex literals terminated, brackets balanced, every
 * `|` between two non-empty stages, every stage a known command (or, in LogScale, a filter,
 * assignment or case block) and every function name one the language has. Sigma is parsed as
 * YAML and checked against the rule and correlation specifications.
 */

// ---------------------------------------------------------------------------------------------
// KQL: @kusto/language-service-next (Kusto.Language compiled to JavaScript by Bridge.NET)

interface KustoDiagnostic {
  Severity: string
  Code: string
  Message: string
  Start: number
  End: number
}
interface KustoCode {
  GetDiagnostics(): unknown
}
interface KustoLanguage {
  KustoCode: { Parse(text: string): KustoCode; ParseAndAnalyze(text: string, globals: unknown): KustoCode }
  GlobalState: { Default: { WithDatabase(database: unknown): unknown } }
  Symbols: {
    TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => unknown }
    DatabaseSymbol: { $ctor2: new (name: string, alternateName: string | null, members: unknown[]) => unknown }
  }
}
interface KustoGlobals {
  Kusto: { Language: KustoLanguage }
  Bridge: { toArray(list: unknown): KustoDiagnostic[] }
}

/** The columns of SigninLogs / AADNonInteractiveUserSignInLogs a rule may use (docs/reference/signin-formats.md §3.2-3.3). */
const SIGNIN_SCHEMA =
  '(TimeGenerated:datetime, CreatedDateTime:datetime, ResultType:string, ResultDescription:string, IPAddress:string, UserPrincipalName:string, ' +
  'ClientAppUsed:string, UserAgent:string, AppDisplayName:string, AppId:string, Id:string, CorrelationId:string, Type:string)'

let kusto: { language: KustoLanguage; bridge: KustoGlobals['Bridge']; globals: unknown } | null = null

function loadKusto() {
  if (kusto) return kusto
  // The package is two scripts that define globals (Bridge, then Kusto); they need no DOM.
  const require = createRequire(import.meta.url)
  require('@kusto/language-service-next/bridge.js')
  require('@kusto/language-service-next/Kusto.Language.Bridge.js')
  const { Kusto, Bridge } = globalThis as unknown as KustoGlobals
  const language = Kusto.Language
  const tables = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'].map((name) => new language.Symbols.TableSymbol.$ctor7(name, SIGNIN_SCHEMA, null))
  const database = new language.Symbols.DatabaseSymbol.$ctor2('Sentinel', null, tables)
  kusto = { language, bridge: Bridge, globals: language.GlobalState.Default.WithDatabase(database) }
  return kusto
}

function formatDiagnostics(text: string, diagnostics: KustoDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.Severity} ${d.Code}: ${d.Message} at "${text.slice(d.Start, Math.max(d.End, d.Start + 20))}"`)
}

/** Syntax diagnostics alone, and everything the binder reports against the sign-in tables' schema. */
export function kqlDiagnostics(text: string): { syntax: string[]; semantic: string[] } {
  const { language, bridge, globals } = loadKusto()
  return {
    syntax: formatDiagnostics(text, bridge.toArray(language.KustoCode.Parse(text).GetDiagnostics())),
    semantic: formatDiagnostics(text, bridge.toArray(language.KustoCode.ParseAndAnalyze(text, globals).GetDiagnostics())),
  }
}

// ---------------------------------------------------------------------------------------------
// Shared lexing for the pipe languages

interface Lexed {
  /** Top-level stages, comments removed, string and regex contents replaced by `_`. */
  stages: string[]
  problems: string[]
}

interface LexRules {
  /** Opening and closing of a comment, or a line comment when close is '\n'. */
  comments: { open: string; close: string }[]
  /** Quote characters of string literals and whether backslash escapes in them. */
  quotes: { char: string; escapes: boolean }[]
  /** Whether a `/` here starts a regex literal (LogScale) given the text before it. */
  regexStart?: (before: string) => boolean
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }

function lex(text: string, rules: LexRules, separator = '|'): Lexed {
  const problems: string[] = []
  const stages: string[] = []
  const stack: string[] = []
  let current = ''
  let i = 0
  outer: while (i < text.length) {
    for (const comment of rules.comments) {
      if (text.startsWith(comment.open, i)) {
        const end = text.indexOf(comment.close, i + comment.open.length)
        if (end < 0 && comment.close !== '\n') {
          problems.push(`unterminated comment ${comment.open} at ${i}`)
          break outer
        }
        i = end < 0 ? text.length : end + comment.close.length
        current += ' '
        continue outer
      }
    }
    const char = text[i]
    const quote = rules.quotes.find((q) => q.char === char)
    if (quote) {
      let j = i + 1
      // A line break ends the search too: no string in these exports spans lines, and a quote left
      // open would otherwise pair with the next one and hide the mistake.
      while (j < text.length && text[j] !== quote.char && text[j] !== '\n') j += quote.escapes && text[j] === '\\' ? 2 : 1
      if (j >= text.length || text[j] === '\n') {
        problems.push(`unterminated string at ${i}: ${text.slice(i, i + 30)}`)
        break
      }
      current += `${quote.char}_${quote.char}`
      i = j + 1
      continue
    }
    if (char === '/' && rules.regexStart?.(current)) {
      let j = i + 1
      while (j < text.length && text[j] !== '/' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1
      if (j >= text.length || text[j] !== '/') {
        problems.push(`unterminated regex at ${i}: ${text.slice(i, i + 30)}`)
        break
      }
      j++
      while (/[a-z]/.test(text[j] ?? '')) j++
      current += '/_/'
      i = j
      continue
    }
    if (PAIRS[char]) stack.push(PAIRS[char])
    else if (char === ')' || char === ']' || char === '}') {
      const expected = stack.pop()
      if (expected !== char) problems.push(`unbalanced ${char} at ${i} (expected ${expected ?? 'nothing'})`)
    }
    if (char === separator && stack.length === 0) {
      stages.push(current)
      current = ''
    } else current += char
    i++
  }
  stages.push(current)
  if (stack.length > 0) problems.push(`unclosed bracket(s): expected ${stack.reverse().join(' ')}`)
  return { stages: stages.map((s) => s.trim()), problems }
}

/** Splits on a separator at bracket depth 0 of already-masked text. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (PAIRS[char]) depth++
    else if (char === ')' || char === ']' || char === '}') depth--
    if (char === separator && depth === 0) {
      parts.push(current.trim())
      current = ''
    } else current += char
  }
  parts.push(current.trim())
  return parts
}

/** Names directly followed by `(` (optionally namespaced, `math:floor(`), in masked text. */
function calledFunctions(masked: string): string[] {
  return [...masked.matchAll(/(?<![\w.:@#'"])([A-Za-z_][\w]*(?::[A-Za-z_]\w*)?)\(/g)].map((m) => m[1])
}

function checkEmptyStages(stages: string[], problems: string[], language: string) {
  stages.forEach((stage, index) => {
    if (stage === '') problems.push(`${language}: empty stage #${index + 1} (a | with nothing on one side)`)
  })
}

// ---------------------------------------------------------------------------------------------
// SPL

const SPL_COMMANDS = new Set([
  'search', 'where', 'eval', 'stats', 'eventstats', 'streamstats', 'sort', 'fields', 'table', 'rename', 'bin', 'bucket', 'fillnull', 'dedup', 'head', 'tail',
  'lookup', 'inputlookup', 'makemv', 'mvexpand', 'rex', 'spath', 'timechart', 'chart', 'top', 'rare', 'convert', 'tstats',
])
const SPL_EVAL_FUNCTIONS = new Set([
  'if', 'case', 'coalesce', 'nullif', 'null', 'true', 'false', 'isnull', 'isnotnull', 'in', 'like', 'match', 'cidrmatch', 'searchmatch', 'lower', 'upper', 'trim',
  'ltrim', 'rtrim', 'len', 'substr', 'replace', 'split', 'tostring', 'tonumber', 'round', 'floor', 'ceiling', 'ceil', 'abs', 'exact', 'strftime', 'strptime', 'now',
  'relative_time', 'mvindex', 'mvcount', 'mvjoin', 'mvdedup', 'mvsort', 'mvappend', 'mvfilter', 'min', 'max', 'typeof', 'validate',
])
const SPL_STATS_FUNCTIONS = new Set(['count', 'dc', 'distinct_count', 'estdc', 'values', 'list', 'min', 'max', 'sum', 'avg', 'mean', 'first', 'last', 'earliest', 'latest', 'eval'])

function checkSplStats(body: string, problems: string[]) {
  const [aggregation, by] = body.split(/\s+BY\s+/i)
  if (by !== undefined && !/^[\w.]+(\s*,\s*[\w.]+)*$/.test(by.trim())) problems.push(`SPL stats: bad BY clause "${by}"`)
  for (const part of splitTopLevel(aggregation, ',')) {
    const m = /^([a-z_]+)(\(.*\))?(?:\s+AS\s+([\w.]+))?$/i.exec(part)
    if (!m) problems.push(`SPL stats: cannot read aggregation "${part}"`)
    else {
      if (!SPL_STATS_FUNCTIONS.has(m[1].toLowerCase())) problems.push(`SPL stats: unknown function ${m[1]}`)
      if (m[2]?.includes('eval(') && !m[3]) problems.push(`SPL stats: an eval() aggregation must be renamed with AS: "${part}"`)
    }
  }
}

export function checkSpl(text: string): string[] {
  const { stages, problems } = lex(text, { comments: [{ open: '```', close: '```' }], quotes: [{ char: '"', escapes: true }, { char: "'", escapes: false }] })
  checkEmptyStages(stages, problems, 'SPL')
  stages.forEach((stage, index) => {
    if (stage === '') return
    const command = /^[a-z_]+/i.exec(stage)?.[0].toLowerCase() ?? ''
    // The first stage is a search whose leading `search` keyword may be left out.
    const known = SPL_COMMANDS.has(command)
    if (index > 0 && !known) problems.push(`SPL: unknown command "${stage.slice(0, 30)}"`)
    const name = index === 0 && !known ? 'search' : command
    const body = index === 0 && !known ? stage : stage.slice(command.length).trim()
    if (name !== 'search' && body === '' && !['table', 'fields'].includes(name)) problems.push(`SPL: ${name} without arguments`)
    for (const fn of calledFunctions(body)) {
      const lower = fn.toLowerCase()
      if (!SPL_EVAL_FUNCTIONS.has(lower) && !SPL_STATS_FUNCTIONS.has(lower)) problems.push(`SPL: unknown function ${fn}() in ${name}`)
    }
    if (name === 'eval') {
      for (const assignment of splitTopLevel(body, ',')) {
        if (!/^[A-Za-z_][\w.]*\s*=(?!=)\s*\S/.test(assignment)) problems.push(`SPL eval: not an assignment "${assignment.slice(0, 40)}"`)
      }
    }
    if (name === 'stats' || name === 'eventstats') checkSplStats(body, problems)
    if (name === 'sort' && !/^(\d+\s+)?[+-]?\s*[\w.]+(\s*,?\s*[+-]?\s*[\w.]+)*$/.test(body)) problems.push(`SPL sort: cannot read "${body}"`)
    if ((name === 'table' || name === 'fields') && !/^[\w.*]+(\s*,?\s*[\w.*]+)*$/.test(body)) problems.push(`SPL ${name}: cannot read field list "${body}"`)
  })
  return problems
}

// ---------------------------------------------------------------------------------------------
// LogScale CQL

const CQL_FUNCTIONS = new Set([
  'groupBy', 'bucket', 'timeChart', 'count', 'collect', 'min', 'max', 'sum', 'avg', 'sort', 'select', 'table', 'round', 'in', 'cidr', 'regex', 'test', 'lower',
  'upper', 'default', 'rename', 'if', 'formatTime', 'format', 'eval', 'replace', 'drop', 'head', 'tail', 'coalesce', 'length', 'math:floor', 'math:ceil', 'timeBucket',
])
/** Keywords that can precede `(` without being calls. */
const CQL_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'and', 'or', 'not'])
const CQL_FILTER = /^[#@]?[A-Za-z_][\w.]*\s*(!=|<=|>=|=|<|>)\s*\S/
const CQL_ASSIGNMENT = /^[A-Za-z_][\w.]*\s*:=\s*\S/

function cqlRegexStart(before: string): boolean {
  const trimmed = before.trimEnd()
  return trimmed === '' || /(!=|=|\(|,|\[|\{|\||;|!|\bAND|\bOR|\bNOT)$/.test(trimmed)
}

function checkCqlStage(stage: string, problems: string[], where: string) {
  for (const fn of calledFunctions(stage)) {
    if (!CQL_FUNCTIONS.has(fn) && !CQL_KEYWORDS.has(fn)) problems.push(`CQL: unknown function ${fn}() in ${where}`)
  }
  const caseBlock = /^case\s*\{([\s\S]*)\}$/.exec(stage)
  if (caseBlock) {
    const branches = splitTopLevel(caseBlock[1], ';')
    if (branches.some((b) => b === '')) problems.push(`CQL: empty case branch in ${where}`)
    for (const branch of branches.filter((b) => b !== '')) {
      const steps = splitTopLevel(branch, '|')
      checkEmptyStages(steps, problems, 'CQL case branch')
      steps.forEach((step, i) => {
        if (i === 0 && step === '*') return
        if (step !== '') checkCqlStage(step, problems, `case branch "${branch.slice(0, 30)}"`)
      })
    }
    return
  }
  const negated = stage.startsWith('!') ? stage.slice(1).trim() : null
  const subject = negated ?? stage
  if (negated !== null && !/^[\w:]+\(|^\(/.test(negated)) problems.push(`CQL: ! must negate a call or a parenthesised filter: "${stage.slice(0, 40)}"`)
  const isCall = /^[A-Za-z_]\w*(?::[A-Za-z_]\w*)?\(/.test(subject)
  const isGroup = subject.startsWith('(')
  if (!isCall && !isGroup && !CQL_ASSIGNMENT.test(subject) && !CQL_FILTER.test(subject)) problems.push(`CQL: unrecognised stage "${stage.slice(0, 40)}"`)
}

export function checkCql(text: string): string[] {
  const { stages, problems } = lex(text, {
    comments: [
      { open: '//', close: '\n' },
      { open: '/*', close: '*/' },
    ],
    quotes: [{ char: '"', escapes: true }],
    regexStart: cqlRegexStart,
  })
  checkEmptyStages(stages, problems, 'CQL')
  stages.forEach((stage, index) => {
    if (stage !== '') checkCqlStage(stage, problems, `stage #${index + 1}`)
  })
  return problems
}

// ---------------------------------------------------------------------------------------------
// Sigma (rule specification 2.x and correlation rules specification 2.x)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported']
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical']
const MODIFIERS = new Set([
  'contains', 'startswith', 'endswith', 'all', 'cidr', 're', 'i', 'm', 's', 'base64', 'base64offset', 'windash', 'exists', 'gt', 'gte', 'lt', 'lte', 'expand',
  'fieldref', 'cased', 'utf16le', 'utf16be', 'wide', 'utf16', 'neq',
])
const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered']
const CONDITION_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte', 'eq', 'neq'])

type Json = Record<string, unknown>
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value)

/** Every document of the file, read as pySigma's PyYAML reads it (YAML 1.1), by another library than the one that wrote it. */
export function sigmaDocuments(text: string): Json[] {
  return loadAll(text, { schema: YAML11_SCHEMA }) as Json[]
}

function checkMeta(doc: Json, problems: string[], label: string) {
  if (typeof doc.title !== 'string' || doc.title === '' || doc.title.length > 256) problems.push(`${label}: title must be a string of 1-256 characters`)
  if (typeof doc.id !== 'string' || !UUID.test(doc.id)) problems.push(`${label}: id must be a UUID, got ${String(doc.id)}`)
  if (doc.status !== undefined && !STATUSES.includes(String(doc.status))) problems.push(`${label}: unknown status ${String(doc.status)}`)
  if (doc.level !== undefined && !LEVELS.includes(String(doc.level))) problems.push(`${label}: unknown level ${String(doc.level)}`)
  if (doc.date !== undefined && !(typeof doc.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(doc.date))) problems.push(`${label}: date must be YYYY-MM-DD`)
  for (const key of ['references', 'tags', 'falsepositives', 'fields']) {
    const value = doc[key]
    if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) problems.push(`${label}: ${key} must be a list of strings`)
  }
  if (Array.isArray(doc.tags)) {
    for (const tag of doc.tags as string[]) if (!/^[a-z0-9_-]+\.[a-z0-9._-]+$/.test(tag)) problems.push(`${label}: malformed tag ${tag}`)
  }
}

/** Reads `selection and not 1 of filter_*` etc.; every name or pattern must resolve to a detection key. */
function checkCondition(condition: string, identifiers: string[], problems: string[]) {
  const tokens = condition.match(/\(|\)|[^\s()]+/g) ?? []
  let position = 0
  const peek = () => tokens[position]
  const resolve = (name: string) => {
    const pattern = new RegExp(`^${name.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    if (!identifiers.some((id) => pattern.test(id))) problems.push(`condition references "${name}" which matches no detection identifier`)
  }
  const operand = (): void => {
    const token = tokens[position++]
    if (token === undefined) return void problems.push('condition ends early')
    if (token === 'not') return operand()
    if (token === '(') {
      expression()
      if (tokens[position++] !== ')') problems.push('condition: missing )')
      return
    }
    if (/^(1|all)$/.test(token) && peek() === 'of') {
      position++
      const target = tokens[position++]
      if (target === undefined) return void problems.push('condition: "of" without a target')
      if (target !== 'them') resolve(target)
      return
    }
    if (['and', 'or', 'of', ')'].includes(token)) return void problems.push(`condition: unexpected "${token}"`)
    resolve(token)
  }
  const expression = () => {
    operand()
    while (peek() === 'and' || peek() === 'or') {
      position++
      operand()
    }
  }
  expression()
  if (position < tokens.length) problems.push(`condition: unexpected "${tokens.slice(position).join(' ')}"`)
}

function checkSearchIdentifier(name: string, value: unknown, problems: string[]) {
  const maps = Array.isArray(value) ? value : [value]
  for (const map of maps) {
    if (!isMap(map)) return void problems.push(`detection ${name}: must be a map of fields or a list of maps`)
    for (const [key, item] of Object.entries(map)) {
      const [field, ...modifiers] = key.split('|')
      if (!/^[A-Za-z_][\w.-]*$/.test(field)) problems.push(`detection ${name}: bad field name "${field}"`)
      for (const modifier of modifiers) if (!MODIFIERS.has(modifier)) problems.push(`detection ${name}: unknown modifier |${modifier}`)
      const values = Array.isArray(item) ? item : [item]
      if (!values.every(isScalar)) problems.push(`detection ${name}.${key}: values must be scalars`)
      if (modifiers.includes('cidr')) {
        for (const v of values) if (typeof v !== 'string' || !ipaddr.isValidCIDR(v)) problems.push(`detection ${name}.${key}: not a CIDR: ${String(v)}`)
      }
    }
  }
}

function checkRule(doc: Json, problems: string[]) {
  checkMeta(doc, problems, 'rule')
  if (!isMap(doc.logsource) || Object.keys(doc.logsource).length === 0) problems.push('rule: logsource must be a non-empty map')
  if (!isMap(doc.detection)) return void problems.push('rule: detection must be a map')
  const { condition, ...identifiers } = doc.detection
  if (typeof condition !== 'string' || condition.trim() === '') return void problems.push('rule: detection.condition must be a string')
  for (const [name, value] of Object.entries(identifiers)) checkSearchIdentifier(name, value, problems)
  checkCondition(condition, Object.keys(identifiers), problems)
}

function checkCorrelation(doc: Json, ruleRefs: Set<string>, problems: string[]) {
  checkMeta(doc, problems, 'correlation')
  const correlation = doc.correlation
  if (!isMap(correlation)) return void problems.push('correlation: correlation must be a map')
  if (!CORRELATION_TYPES.includes(String(correlation.type))) problems.push(`correlation: unknown type ${String(correlation.type)}`)
  if (!Array.isArray(correlation.rules) || correlation.rules.length === 0) problems.push('correlation: rules must be a non-empty list')
  else for (const ref of correlation.rules) if (!ruleRefs.has(String(ref))) problems.push(`correlation: rule "${String(ref)}" is not a rule name or id in this file`)
  const groupBy = correlation['group-by']
  if (!Array.isArray(groupBy) || groupBy.length === 0 || !groupBy.every((f) => typeof f === 'string')) problems.push('correlation: group-by must be a list of field names')
  if (typeof correlation.timespan !== 'string' || !/^\d+[smhd]$/.test(correlation.timespan)) problems.push(`correlation: timespan must be number + s/m/h/d, got ${String(correlation.timespan)}`)
  const condition = correlation.condition
  if (!isMap(condition)) return void problems.push('correlation: condition must be a map')
  const { field, ...operators } = condition
  if (correlation.type === 'value_count' && typeof field !== 'string') problems.push('correlation: value_count needs condition.field')
  if (Object.keys(operators).length === 0) problems.push('correlation: condition needs an operator')
  for (const [operator, value] of Object.entries(operators)) {
    if (!CONDITION_OPERATORS.has(operator)) problems.push(`correlation: unknown condition operator ${operator}`)
    if (typeof value !== 'number' || !Number.isInteger(value)) problems.push(`correlation: condition ${operator} must be an integer`)
  }
}

/** Problems with a Sigma file of rules and correlation rules; throws when the YAML does not parse. */
export function checkSigma(text: string): { problems: string[]; documents: Json[] } {
  const documents = sigmaDocuments(text)
  const problems: string[] = []
  const rules = documents.filter((doc) => isMap(doc.detection) || doc.logsource !== undefined)
  const correlations = documents.filter((doc) => doc.correlation !== undefined)
  if (rules.length + correlations.length !== documents.length) problems.push('every document must be a rule (detection) or a correlation rule')
  const refs = new Set(rules.flatMap((doc) => [doc.id, doc.name].filter((v): v is string => typeof v === 'string')))
  for (const rule of rules) checkRule(rule, problems)
  for (const correlation of correlations) checkCorrelation(correlation, refs, problems)
  return { problems, documents }
}
