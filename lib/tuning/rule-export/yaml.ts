import { stringify } from 'yaml'

/**
 * YAML for the Sigma export, written by the `yaml` package as YAML 1.1: pySigma reads rules with
 * PyYAML (YAML 1.1), where a plain `yes`, `no`, `on` or `off` is a boolean, so such strings must
 * come out quoted.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue }

/** Lines of a block node, unindented; the caller indents nested ones. */
export function yamlLines(value: YamlValue): string[] {
  return stringify(value, { version: '1.1', lineWidth: 0, indentSeq: true, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' }).trimEnd().split('\n')
}

/** `#` comment lines; the text must already be a single line. */
export function yamlComments(lines: string[], indent = ''): string[] {
  return lines.map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`))
}
