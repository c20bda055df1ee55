import type { Readable } from 'node:stream'
import streamChain from 'stream-chain'
import { parser } from 'stream-json'
import { pick } from 'stream-json/filters/pick.js'
import { streamArray } from 'stream-json/streamers/stream-array.js'
import type { SourceRecord } from '../types'
import type { ReadItem } from './read-item'

/**
 * A JSON document streamed element by element: a top-level array (portal download, LogScale
 * JSON) or the array under `value` (Graph page) or `records` (Event Hub message). A syntax error
 * mid-file keeps the records before it and reports where reading stopped.
 */
export async function* readJsonDocument(content: Readable, topLevelArray: boolean): AsyncGenerator<ReadItem> {
  const stages = topLevelArray
    ? [parser(), streamArray()]
    : [parser(), pick({ filter: (stack: readonly unknown[]) => stack.length === 1 && (stack[0] === 'value' || stack[0] === 'records') }), streamArray()]
  const pipeline = streamChain.chain([content, ...stages])
  let index = 0
  try {
    for await (const { value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      index++
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        yield { record: value as SourceRecord, position: index }
      } else {
        yield { position: index, error: 'array element is not a JSON object', excerpt: JSON.stringify(value)?.slice(0, 300) ?? '' }
      }
    }
  } catch (error) {
    yield {
      position: index + 1,
      error: `JSON syntax error after record ${index}: ${(error as Error).message}; the rest of the file could not be read`,
      excerpt: '',
      fatal: true,
    }
  }
}
