import { InvalidAliasError, parseCidr } from '../aliases/parse-cidr.ts'
import { readClientAddress } from '../aliases/read-client-address.ts'
import type { ClientSession } from '../sessions/client-session.ts'
import { compileGlob } from './glob.ts'

/** Which sessions to keep (CLI filters, `KillRedisSessions` filters). Absent = any. */
export interface SessionFilter {
  /** An IP (v4/v6) or a CIDR matched against the session's client address. */
  clientIp?: string | undefined
  /** Glob on the client name (`*`, `?`). */
  name?: string | undefined
  user?: string | undefined
  db?: number | undefined
  /** Last command, case-insensitive (`client|list` on 7.0+, `NULL` before any). */
  cmd?: string | undefined
  /** Keep sessions idle at least this many seconds. */
  minIdle?: number | undefined
  /** Every letter must be among the session's flags. */
  flags?: string | undefined
  libName?: string | undefined
  nodeId?: string | undefined
}

/** A filter value that cannot be used (bad CIDR, negative idle…). */
export class InvalidFilterError extends Error {
  readonly code = 'InvalidFilter'
  readonly field: keyof SessionFilter
  constructor(field: keyof SessionFilter, message: string) {
    super(message)
    this.name = 'InvalidFilterError'
    this.field = field
  }
}

export type SessionPredicate = (session: ClientSession, nodeId: string) => boolean

/** Validates the filter once and returns a fast predicate; throws {@link InvalidFilterError}. */
export function compileSessionFilter(filter: SessionFilter): SessionPredicate {
  const checks: SessionPredicate[] = []
  if (filter.clientIp !== undefined) {
    const matches = compileIpMatcher(filter.clientIp)
    checks.push((session) => matches(session.client))
  }
  if (filter.name !== undefined) {
    const matches = compileGlob(filter.name)
    checks.push((session) => matches(session.name))
  }
  const { user, db, cmd, minIdle, flags, libName, nodeId } = filter
  if (user !== undefined) checks.push((session) => session.user === user)
  if (db !== undefined) {
    if (!Number.isInteger(db) || db < 0)
      throw new InvalidFilterError('db', `db must be an integer ≥ 0`)
    checks.push((session) => session.db === db)
  }
  if (cmd !== undefined) {
    // CLIENT LIST prints command names in lower case, but `NULL` (no command yet) in capitals.
    const wanted = cmd.toLowerCase()
    checks.push((session) => session.cmd.toLowerCase() === wanted)
  }
  if (minIdle !== undefined) {
    if (!Number.isFinite(minIdle) || minIdle < 0)
      throw new InvalidFilterError('minIdle', 'minIdle must be a number of seconds ≥ 0')
    checks.push((session) => session.idle >= minIdle)
  }
  if (flags !== undefined) {
    const letters = [...flags]
    checks.push((session) => letters.every((letter) => session.flags.includes(letter)))
  }
  if (libName !== undefined) checks.push((session) => session.libName === libName)
  if (nodeId !== undefined) checks.push((_session, id) => id === nodeId)
  if (checks.length === 0) return KEEP_ALL
  return (session, id) => checks.every((check) => check(session, id))
}

/** The predicate of an empty filter: `filterSnapshot` returns the snapshot itself for it. */
export const KEEP_ALL: SessionPredicate = () => true

/**
 * `10.0.0.0/8`, `10.1.2.3`, `::1`, `fd00::/8` → matcher of client addresses, with the strict
 * parsing of aliases (`parseCidr`): four-part decimal IPv4 only (no `127.1`, `2130706437`,
 * `0x7f000001`: inet_aton forms nobody means and that hide typos), no host bits set, no zone id;
 * `::ffff:a.b.c.d/≥96` is the IPv4 network, and IPv4-mapped clients match as IPv4 (as aliases
 * do). Unix-socket clients never match.
 */
export function compileIpMatcher(text: string): (client: string) => boolean {
  let network: ReturnType<typeof parseCidr>
  try {
    network = parseCidr(text)
  } catch (error) {
    if (!(error instanceof InvalidAliasError)) throw error
    throw new InvalidFilterError(
      'clientIp',
      `not an IP address or CIDR: ${text.slice(0, 64)} (${error.reason})`
    )
  }
  const { family, bytes, prefixLength } = network
  const v4 = new Uint8Array(4)
  const v6 = new Uint8Array(16)
  return (client) => {
    const kind = readClientAddress(client, v4, v6)
    if (kind !== family) return false
    return samePrefix(kind === 'ipv4' ? v4 : v6, bytes, prefixLength)
  }
}

/** True when the first `bits` bits of `a` and `b` are equal. */
function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false
  const rest = bits & 7
  if (rest === 0) return true
  const mask = (0xff << (8 - rest)) & 0xff
  return ((a[whole] ?? 0) & mask) === ((b[whole] ?? 0) & mask)
}
