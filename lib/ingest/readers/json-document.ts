import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { ingestLimits, recordTooLong, type IngestLimits } from '../ingest-limits'
import type { SourceRecord } from '../types'
import type { ReadItem } from './read-item'

/**
 * A JSON document streamed element by element: a top-level array (portal download, LogScale
 * JSON) or the array under `value` (Graph page) or `records` (Event Hub message). A syntax error
 * mid-file keeps the records before it and reports where reading stopped.
 *
 * The document is scanned for the boundaries of the array's elements (strings, escapes and
 * brackets only) and each element is parsed on its own with JSON.parse. A token-stream parser
 * that fails on a chunk loses every record that chunk completed, and with it the position of the
 * error; here each record is handed on as soon as its closing bracket is seen. An element that
 * is not valid JSON inside well-formed brackets is rejected alone; broken structure (mismatched
 * or missing brackets, a truncated file) stops the reading, as nothing after it can be trusted.
 * An element longer than the record limit is rejected alone, its text dropped as it is scanned.
 */

class JsonStructureError extends Error {}

/** The input ended before the document did. */
class TruncatedDocumentError extends JsonStructureError {}

/** An element dropped for its size: how long it was. */
class Oversize {
  constructor(readonly length: number) {}
}

/** Keys longer than this are not a record array's name; their text is not kept. */
const MAX_KEY_CHARS = 256

const OPEN_OBJECT = 0x7b // {
const CLOSE_OBJECT = 0x7d // }
const OPEN_ARRAY = 0x5b // [
const CLOSE_ARRAY = 0x5d // ]
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const NEWLINE = 0x0a

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

const RECORD_ARRAY_KEYS = new Set(['value', 'records'])

class ElementScanner {
  /** Open brackets, innermost last. */
  private readonly stack: number[] = []
  private inString = false
  private escaped = false
  private started = false
  private finished = false
  /** Stack depth inside the record array; -1 while not inside it. */
  private target = -1
  /** Text of the element being read, when it spans chunks. */
  private pieces: string[] = []
  private piecesLength = 0
  /** The element being read passed the limit: its text is no longer kept, only its length. */
  private oversize = -1
  private capturing: 'none' | 'nested' | 'scalar' = 'none'
  /** An element just ended: a comma or the end of the array must follow. */
  private afterElement = false
  /** The array has had an element (so "]" right after "," is a trailing comma). */
  private sawElement = false
  /** Key tracking at depth 1 of a `{ "value": [...] }` document. */
  private expectKey = false
  private keyText: string | null = null
  private lastKey: string | null = null
  line = 1

  constructor(
    private readonly topLevelArray: boolean,
    private readonly maxChars: number,
  ) {}

  /** Scans one chunk, appending the complete elements it closes to `out`. */
  scan(text: string, out: (string | Oversize)[]): void {
    let start = this.capturing === 'none' ? -1 : 0
    const stack = this.stack
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === NEWLINE) this.line++
      if (this.inString) {
        if (this.keyText !== null && !(c === QUOTE && !this.escaped) && this.keyText.length < MAX_KEY_CHARS) this.keyText += text[i]
        if (this.escaped) this.escaped = false
        else if (c === BACKSLASH) this.escaped = true
        else if (c === QUOTE) {
          this.inString = false
          if (this.keyText !== null) {
            this.lastKey = this.decodeKey(this.keyText)
            this.keyText = null
            this.expectKey = false
          }
        }
        continue
      }
      if (isWhitespace(c)) continue
      if (this.finished) throw new JsonStructureError('unexpected content after the end of the JSON document')
      const depth = stack.length
      if (!this.started) {
        if (c !== (this.topLevelArray ? OPEN_ARRAY : OPEN_OBJECT)) {
          throw new JsonStructureError(`expected ${this.topLevelArray ? '[' : '{'} at the start of the document`)
        }
        this.started = true
        stack.push(c)
        if (this.topLevelArray) this.target = 1
        else this.expectKey = true
        continue
      }
      const inTarget = depth === this.target
      if (inTarget && this.capturing === 'none') {
        // Between elements of the record array.
        if (c === COMMA) {
          if (!this.afterElement) throw new JsonStructureError('unexpected "," in the array')
          this.afterElement = false
          continue
        }
        if (c === CLOSE_ARRAY) {
          if (!this.afterElement && this.sawElement) throw new JsonStructureError('unexpected "]" after ","')
          stack.pop()
          this.target = -1
          this.afterElement = false
          this.sawElement = false
          if (stack.length === 0) this.finished = true
          continue
        }
        if (this.afterElement) throw new JsonStructureError('expected "," or "]" after a record')
        start = i
        this.capturing = c === OPEN_OBJECT || c === OPEN_ARRAY ? 'nested' : 'scalar'
        this.sawElement = true
        if (c === QUOTE) this.inString = true
        if (this.capturing === 'nested') stack.push(c)
        continue
      }
      if (inTarget && this.capturing === 'scalar') {
        if (c === COMMA || c === CLOSE_ARRAY) {
          this.emit(text, start, i, out)
          start = -1
          this.capturing = 'none'
          this.afterElement = true
          i-- // the delimiter is read again, between elements
        } else if (c === QUOTE) {
          this.inString = true
        } else if (c === OPEN_OBJECT || c === OPEN_ARRAY || c === CLOSE_OBJECT) {
          throw new JsonStructureError(`unexpected "${text[i]}" in a record`)
        }
        continue
      }
      if (c === QUOTE) {
        this.inString = true
        if (depth === 1 && !this.topLevelArray && this.expectKey) this.keyText = ''
        continue
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        stack.push(c)
        if (depth === 1 && !this.topLevelArray && c === OPEN_ARRAY && this.lastKey !== null && RECORD_ARRAY_KEYS.has(this.lastKey) && this.capturing === 'none') {
          this.target = 2
        }
        continue
      }
      if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        const open = stack.pop()
        if (open !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) {
          throw new JsonStructureError(open === undefined ? `unexpected "${text[i]}"` : `"${text[i]}" does not close "${String.fromCharCode(open)}"`)
        }
        if (this.capturing === 'nested' && stack.length === this.target) {
          this.emit(text, start, i + 1, out)
          start = -1
          this.capturing = 'none'
          this.afterElement = true
        }
        if (stack.length === 0) this.finished = true
        continue
      }
      if (c === COMMA && depth === 1 && !this.topLevelArray) {
        this.expectKey = true
        this.lastKey = null
      }
    }
    if (this.capturing !== 'none' && start !== -1) {
      const length = text.length - start
      if (this.oversize >= 0) this.oversize += length
      else if (this.piecesLength + length > this.maxChars) {
        this.oversize = this.piecesLength + length
        this.pieces = []
        this.piecesLength = 0
      } else {
        this.pieces.push(text.slice(start))
        this.piecesLength += length
      }
    }
  }

  /** Call at the end of the input. */
  end(): void {
    if (!this.started) throw new JsonStructureError('the document is empty')
    if (!this.finished) throw new TruncatedDocumentError('unexpected end of file (the document is truncated)')
  }

  private emit(text: string, start: number, end: number, out: (string | Oversize)[]): void {
    const length = end - Math.max(start, 0)
    if (this.oversize >= 0 || this.piecesLength + length > this.maxChars) {
      out.push(new Oversize(Math.max(this.oversize, 0) + this.piecesLength + length))
      this.oversize = -1
    } else if (this.pieces.length) {
      this.pieces.push(text.slice(Math.max(start, 0), end))
      out.push(this.pieces.join(''))
    } else {
      out.push(text.slice(Math.max(start, 0), end))
    }
    this.pieces = []
    this.piecesLength = 0
  }

  private decodeKey(raw: string): string {
    try {
      return JSON.parse(`"${raw}"`) as string
    } catch {
      return raw
    }
  }
}

export async function* readJsonDocument(content: Readable, topLevelArray: boolean, limits: IngestLimits = ingestLimits()): AsyncGenerator<ReadItem> {
  const scanner = new ElementScanner(topLevelArray, limits.maxRecordBytes)
  const decoder = new StringDecoder('utf8')
  let index = 0
  const elements: (string | Oversize)[] = []

  function* parsed(): Generator<ReadItem> {
    for (const text of elements) {
      index++
      if (text instanceof Oversize) {
        yield { position: index, error: recordTooLong(text.length, limits), excerpt: '' }
        continue
      }
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        yield { position: index, error: `record is not valid JSON: ${(error as Error).message}`, excerpt: text.slice(0, 300) }
        continue
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) yield { record: value as SourceRecord, position: index }
      else yield { position: index, error: 'array element is not a JSON object', excerpt: text.slice(0, 300) }
    }
    elements.length = 0
  }

  let failure: Error | null = null
  try {
    // A read error of the input (or the decompression limit) is thrown on: it is not a property of the file.
    for await (const chunk of content as AsyncIterable<Buffer | string>) {
      scanner.scan(typeof chunk === 'string' ? chunk : decoder.write(chunk), elements)
      yield* parsed()
    }
    scanner.scan(decoder.end(), elements)
    scanner.end()
  } catch (error) {
    if (!(error instanceof JsonStructureError)) throw error
    failure = error
  }
  // The records completed before the error are kept.
  yield* parsed()
  if (failure) {
    yield {
      position: index + 1,
      error: `JSON syntax error after record ${index} (line ${scanner.line}): ${failure.message}; the rest of the file could not be read`,
      excerpt: '',
      fatal: true,
      ...(failure instanceof TruncatedDocumentError ? { truncated: true } : {}),
    }
  }
}
