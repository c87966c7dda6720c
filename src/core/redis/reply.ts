import { ReplyParseError } from '../errors.ts'

/**
 * Guards that turn an untyped reply (RESP2 as ioredis decodes it: strings, numbers,
 * arrays, null) into typed values, throwing `ReplyParseError` with the command name
 * and an excerpt of what came instead.
 */

/** A bulk or simple string reply (a Buffer is decoded as UTF-8). */
export function replyText(reply: unknown, node: string, command: string): string {
  if (typeof reply === 'string') return reply
  if (Buffer.isBuffer(reply)) return reply.toString('utf8')
  throw wrongShape(reply, 'a text reply', node, command)
}

/** An array reply. */
export function replyArray(reply: unknown, node: string, command: string): readonly unknown[] {
  if (Array.isArray(reply)) return reply
  throw wrongShape(reply, 'an array reply', node, command)
}

/** An integer reply, or a string of decimal digits (some commands send ports as strings). */
export function replyInteger(reply: unknown, node: string, command: string): number {
  if (typeof reply === 'number' && Number.isInteger(reply)) return reply
  if (typeof reply === 'string' && /^-?\d{1,16}$/.test(reply)) return Number(reply)
  throw wrongShape(reply, 'an integer', node, command)
}

/**
 * A RESP2 flat field/value array (`["id", "…", "port", 7000]`) → Map. Keys must be
 * strings; later duplicates win. RESP3 would send a map; we speak RESP2 (connection.ts).
 */
export function replyFieldMap(
  reply: unknown,
  node: string,
  command: string
): ReadonlyMap<string, unknown> {
  const items = replyArray(reply, node, command)
  if (items.length % 2 !== 0) throw wrongShape(reply, 'field/value pairs', node, command)
  const fields = new Map<string, unknown>()
  for (let i = 0; i < items.length; i += 2) {
    fields.set(replyText(items[i], node, command), items[i + 1])
  }
  return fields
}

/** The field as text; `undefined` when absent. */
export function optionalText(
  fields: ReadonlyMap<string, unknown>,
  key: string,
  node: string,
  command: string
): string | undefined {
  const value = fields.get(key)
  return value === undefined ? undefined : replyText(value, node, command)
}

/** The field as text; a `ReplyParseError` when absent. */
export function requiredText(
  fields: ReadonlyMap<string, unknown>,
  key: string,
  node: string,
  command: string
): string {
  const value = optionalText(fields, key, node, command)
  if (value === undefined) throw missingField(key, node, command)
  return value
}

/** The field as an integer; a `ReplyParseError` when absent. */
export function requiredInteger(
  fields: ReadonlyMap<string, unknown>,
  key: string,
  node: string,
  command: string
): number {
  const value = fields.get(key)
  if (value === undefined) throw missingField(key, node, command)
  return replyInteger(value, node, command)
}

function missingField(key: string, node: string, command: string): ReplyParseError {
  return new ReplyParseError(`${node}: ${command} reply lacks field '${key}'`, node, command, 0, '')
}

/** A `ReplyParseError` saying what was expected and showing the start of what came. */
export function wrongShape(
  reply: unknown,
  expected: string,
  node: string,
  command: string
): ReplyParseError {
  const excerpt = describeValue(reply)
  return new ReplyParseError(
    `${node}: ${command} reply is not ${expected} (got ${excerpt.slice(0, 60)})`,
    node,
    command,
    0,
    excerpt
  )
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 200))
  if (Array.isArray(value)) return `array(${value.length})`
  return typeof value
}
