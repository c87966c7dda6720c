/**
 * The table's filters. Their meaning is the server's (KillRedisSessions filters, CLI flags):
 * source IP/CIDR, name glob, user, db, last command (exact, lower case), idle ≥ seconds, flag
 * letters (all present), library — so "kill by filter" asks the server for exactly what the
 * table shows. Node and keyword are console-only refinements.
 */
import { compileGlob } from '../../../src/core/filter/glob.ts'
import type { Session } from '../api/types.ts'
import { compileIpMatcher, InvalidIpError } from './ip-match.ts'

/** Filter inputs as typed (empty = any). */
export interface Filters {
  node: string
  clientIp: string
  name: string
  user: string
  db: string
  cmd: string
  minIdle: string
  flags: string
  libName: string
  keyword: string
}

/** No filter at all. */
export const NO_FILTERS: Filters = {
  node: '',
  clientIp: '',
  name: '',
  user: '',
  db: '',
  cmd: '',
  minIdle: '',
  flags: '',
  libName: '',
  keyword: '',
}

/** Every input. */
const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof Filters)[]

/** `name = web-*, db = 1`: the inputs that are set, for people. */
export function describeFilters(filters: Filters): string {
  return FILTER_KEYS.filter((key) => filters[key].trim() !== '')
    .map((key) => `${key} = ${filters[key].trim()}`)
    .join(', ')
}

/** Typed in Name, User or Library: keeps sessions where that field is empty (console only). */
export const NONE = '(none)'

/** KillRedisSessions parameter of each server-side filter. */
const SERVER_PARAMS = {
  clientIp: 'ClientIp',
  name: 'Name',
  user: 'User',
  db: 'Db',
  cmd: 'Cmd',
  minIdle: 'MinIdle',
  flags: 'Flags',
  libName: 'LibName',
} as const satisfies Partial<Record<keyof Filters, string>>

/** A compiled filter: the predicate, or why an input cannot be used. */
export interface CompiledFilters {
  matches: (session: Session) => boolean
  /** Input → message; while any is set, `matches` ignores that input. */
  errors: Partial<Record<keyof Filters, string>>
  /** True when no input is set. */
  empty: boolean
}

const haystacks = new WeakMap<Session, string>()

/** Lower-case text the keyword search looks in: address, alias, name, user, cmd, node, lib, id. */
function haystackOf(session: Session): string {
  let text = haystacks.get(session)
  if (text === undefined) {
    text = (
      `${session.Addr} ${session.ClientDesc} ${session.Name} ${session.User ?? ''} ` +
      `${session.Cmd} ${session.NodeId} ${session.LibName ?? ''} ${session.Id}`
    ).toLowerCase()
    haystacks.set(session, text)
  }
  return text
}

/** Validates the inputs once and returns a fast predicate. */
export function compileFilters(filters: Filters): CompiledFilters {
  const checks: ((session: Session) => boolean)[] = []
  const errors: CompiledFilters['errors'] = {}
  const text = (key: keyof Filters) => filters[key].trim()
  if (text('node') !== '') checks.push((s) => s.NodeId === text('node'))
  if (text('clientIp') !== '') {
    try {
      const matches = compileIpMatcher(text('clientIp'))
      checks.push((s) => matches(s.Client))
    } catch (error) {
      if (!(error instanceof InvalidIpError)) throw error
      errors.clientIp = error.reason
    }
  }
  if (text('name') !== '') {
    const matches =
      text('name') === NONE ? (name: string) => name === '' : compileGlob(text('name'))
    checks.push((s) => matches(s.Name))
  }
  const exact = (value: string) => (field: string | undefined) =>
    value === NONE ? (field ?? '') === '' : field === value
  if (text('user') !== '') {
    const matches = exact(text('user'))
    checks.push((s) => matches(s.User))
  }
  if (text('libName') !== '') {
    const matches = exact(text('libName'))
    checks.push((s) => matches(s.LibName))
  }
  if (text('cmd') !== '') checks.push((s) => s.Cmd === text('cmd').toLowerCase())
  const db = integerOf(text('db'))
  if (db === null) errors.db = 'a database number ≥ 0'
  else if (db !== undefined) checks.push((s) => s.Db === db)
  const minIdle = integerOf(text('minIdle'))
  if (minIdle === null) errors.minIdle = 'seconds ≥ 0'
  else if (minIdle !== undefined) checks.push((s) => s.Idle >= minIdle)
  const flags = text('flags')
  if (flags !== '' && !/^[A-Za-z]+$/.test(flags)) errors.flags = 'flag letters, e.g. P or b'
  else if (flags !== '') checks.push((s) => [...flags].every((letter) => s.Flags.includes(letter)))
  const keyword = text('keyword').toLowerCase()
  if (keyword !== '') checks.push((s) => haystackOf(s).includes(keyword))
  const empty = FILTER_KEYS.every((key) => filters[key].trim() === '')
  return { matches: (s) => checks.every((check) => check(s)), errors, empty }
}

/** The KillRedisSessions filter parameters of the server-side inputs that are set. */
export function serverFilterParams(filters: Filters): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [key, param] of Object.entries(SERVER_PARAMS)) {
    const value = filters[key as keyof typeof SERVER_PARAMS].trim()
    if (value !== '' && value !== NONE) params[param] = value
  }
  return params
}

/** True when an input the server cannot apply (node, keyword, `(none)`) is set. */
export function hasConsoleOnlyFilter(filters: Filters): boolean {
  const none = [filters.name, filters.user, filters.libName].some((value) => value.trim() === NONE)
  return none || filters.node.trim() !== '' || filters.keyword.trim() !== ''
}

/** `undefined` for empty, `null` for not a whole number ≥ 0. */
function integerOf(text: string): number | undefined | null {
  if (text === '') return undefined
  return /^\d{1,15}$/.test(text) ? Number(text) : null
}
