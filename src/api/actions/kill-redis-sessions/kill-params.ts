import {
  compileSessionFilter,
  InvalidFilterError,
  type SessionFilter,
  type SessionPredicate,
} from '../../../core/filter/session-filter.ts'
import { booleanParam, instanceIdParam, integerParam, invalid, optionalString } from '../params.ts'
import { parseSessionRefs, type SessionRef } from './session-refs.ts'

/** Filter parameters of KillRedisSessions and the {@link SessionFilter} field each one sets. */
export const KILL_FILTER_PARAMS = {
  ClientIp: 'clientIp',
  Name: 'name',
  User: 'user',
  Db: 'db',
  Cmd: 'cmd',
  MinIdle: 'minIdle',
  Flags: 'flags',
  LibName: 'libName',
} as const satisfies Record<string, keyof SessionFilter>

/** Every business parameter of KillRedisSessions (contract §5). */
export const KILL_PARAMS: readonly string[] = [
  'InstanceId',
  'Sessions',
  'DryRun',
  ...Object.keys(KILL_FILTER_PARAMS),
]

/** Which sessions to kill: an explicit list, or those a filter keeps. */
export type KillSelection =
  | { kind: 'sessions'; sessions: SessionRef[] }
  | { kind: 'filter'; filter: SessionFilter; predicate: SessionPredicate; described: string }

/** A validated KillRedisSessions request. */
export interface KillRequest {
  instanceId: string
  selection: KillSelection
  dryRun: boolean
}

// `Sessions` holds at most 10,000 items of ~50 characters: a generous ceiling on its JSON text.
const MAX_SESSIONS_JSON = 2_000_000

/**
 * Reads KillRedisSessions' parameters; throws `InvalidParams` naming the problem. Exactly one
 * of `Sessions` and the filters is required: with neither, the call would kill every session,
 * and `KillInstanceAllSession` is the explicit way to do that.
 */
export function parseKillParams(params: ReadonlyMap<string, string>): KillRequest {
  const instanceId = instanceIdParam(params)
  const dryRun = booleanParam(params, 'DryRun', false)
  const sessionsText = optionalString(params, 'Sessions', MAX_SESSIONS_JSON)
  const filterNames = Object.keys(KILL_FILTER_PARAMS).filter((name) => {
    const value = params.get(name)
    return value !== undefined && value !== ''
  })
  const hasSessions = sessionsText !== undefined && sessionsText !== ''
  if (hasSessions && filterNames.length > 0) {
    invalid(`give either Sessions or filters, not both (filters given: ${filterNames.join(', ')})`)
  }
  if (hasSessions) {
    return {
      instanceId,
      dryRun,
      selection: { kind: 'sessions', sessions: parseSessionRefs(sessionsText) },
    }
  }
  if (filterNames.length === 0) {
    invalid(
      'give Sessions or one or more filters: ClientIp, Name, User, Db, Cmd, MinIdle, Flags, ' +
        'LibName; to kill every session use KillInstanceAllSession'
    )
  }
  const filter = filterOf(params)
  let predicate: SessionPredicate
  try {
    predicate = compileSessionFilter(filter)
  } catch (error) {
    if (!(error instanceof InvalidFilterError)) throw error
    invalid(`${paramOfField(error.field)}: ${error.message}`)
  }
  const described = filterNames.map((name) => `${name}=${params.get(name) ?? ''}`).join(' ')
  return { instanceId, dryRun, selection: { kind: 'filter', filter, predicate, described } }
}

function filterOf(params: ReadonlyMap<string, string>): SessionFilter {
  const text = (name: string) => {
    const value = optionalString(params, name, 256)
    return value === '' ? undefined : value
  }
  const flags = text('Flags')
  if (flags !== undefined && !/^[A-Za-z]+$/.test(flags)) {
    invalid('Flags must be CLIENT LIST flag letters, e.g. S, P, b')
  }
  return {
    clientIp: text('ClientIp'),
    name: text('Name'),
    user: text('User'),
    db: integerParam(params, 'Db', { min: 0, max: 1_000_000 }),
    cmd: text('Cmd'),
    minIdle: integerParam(params, 'MinIdle', { min: 0, max: Number.MAX_SAFE_INTEGER }),
    flags,
    libName: text('LibName'),
  }
}

function paramOfField(field: keyof SessionFilter): string {
  const found = Object.entries(KILL_FILTER_PARAMS).find(([, key]) => key === field)
  return found?.[0] ?? field
}
