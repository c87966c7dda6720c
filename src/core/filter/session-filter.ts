import ipaddr from 'ipaddr.js'
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
  /** Last command, exact (`client|list` on 7.0+). */
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
  if (cmd !== undefined) checks.push((session) => session.cmd === cmd.toLowerCase())
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

/** `10.0.0.0/8`, `10.1.2.3`, `::1`, `fd00::/8` → matcher of client addresses (unix paths never match). */
export function compileIpMatcher(text: string): (client: string) => boolean {
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number]
  try {
    range = text.includes('/') ? ipaddr.parseCIDR(text) : hostRange(ipaddr.parse(text))
  } catch {
    throw new InvalidFilterError('clientIp', `not an IP address or CIDR: ${text.slice(0, 64)}`)
  }
  const [network, bits] = range
  return (client) => {
    if (!ipaddr.isValid(client)) return false
    const address = ipaddr.process(client) // unwraps ::ffff:a.b.c.d
    return address.kind() === network.kind() && address.match(network, bits)
  }
}

function hostRange(address: ipaddr.IPv4 | ipaddr.IPv6): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const processed = ipaddr.process(address.toString())
  return [processed, processed.kind() === 'ipv4' ? 32 : 128]
}
