import { stringify, type ScalarTag } from 'yaml'
import { spacedControls } from './header'

/**
 * YAML for the Sigma export, written by the `yaml` package as YAML 1.1: pySigma reads rules with
 * PyYAML (YAML 1.1), where a plain `yes`, `no`, `on` or `off` is a boolean, so such strings must
 * come out quoted.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue }

/**
 * What the `yaml` package would write raw although a YAML 1.1 reader does not read it back as it
 * was: NEL, U+2028 and U+2029 are line breaks there (folded, or ending a plain scalar early), DEL,
 * C1 controls, U+FFFE/U+FFFF and unpaired surrogates are non-printable and make PyYAML refuse the
 * file. C0 controls are included so every such value comes out as one quoted line.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const NAMED_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** A double-quoted scalar with every unsafe character escaped (\xHH, \uXXXX: YAML 1.1 and 1.2 alike). */
function doubleQuoted(value: string): string {
  let out = ''
  // for…of walks code points: a valid surrogate pair stays one (printable) character.
  for (const char of value) {
    const code = char.codePointAt(0)!
    if (NAMED_ESCAPES[char]) out += NAMED_ESCAPES[char]
    else if (code <= 0xff && UNSAFE.test(char)) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (UNSAFE.test(char)) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += char
  }
  return `"${out}"`
}

/** Ahead of the schema's own string tag, and only for strings that need it; the rest keep its quoting rules. */
const unsafeString: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (value) => typeof value === 'string' && UNSAFE.test(value),
  resolve: (text) => text,
  stringify: (item) => doubleQuoted(String(item.value)),
}

/** Lines of a block node, unindented; the caller indents nested ones. */
export function yamlLines(value: YamlValue): string[] {
  return stringify(value, {
    version: '1.1',
    lineWidth: 0,
    indentSeq: true,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
    customTags: (tags) => [unsafeString, ...tags],
  })
    .trimEnd()
    .split('\n')
}

/** `#` comment lines, each flattened to one line: a line break would turn the rest into YAML. */
export function yamlComments(lines: string[], indent = ''): string[] {
  return lines.map(spacedControls).map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`))
}
