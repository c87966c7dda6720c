/**
 * One client connection as one Redis/Valkey node reports it in `CLIENT LIST`
 * (docs/redis.md §2–§3). Field names are camelCase renames of the Redis keys
 * (`qbuf-free` → `qbufFree`). The object has a fixed shape: every key is always
 * present, fields the server did not print are `undefined`, so V8 keeps one hidden
 * class for 50k sessions.
 *
 * Counters are JS numbers: Redis prints them as uint64, exact up to 2^53 (ids and
 * byte counters never get near it in practice); a longer digit run loses precision,
 * never becomes `NaN`.
 */
export interface ClientSession {
  /** `id`: per-node, monotonically increasing; not unique across nodes. */
  id: number
  /** `addr`: `ip:port`, `[ipv6]:port` or `<unix socket path>:0`. */
  addr: string
  /** The address without its port (IPv6 without brackets; a unix socket keeps its path). */
  client: string
  /** `laddr`, since 6.2. */
  laddr: string | undefined
  /** `fd`: -1 when there is no socket (e.g. a module's fake client). */
  fd: number
  /** `name`: `""` when unset. */
  name: string
  /** `age`, seconds since connect. */
  age: number
  /** `idle`, seconds since the last command. */
  idle: number
  /** `flags`: letters (docs/redis.md §5), `N` when none. */
  flags: string
  db: number
  sub: number
  psub: number
  /** `ssub`, since 7.0.3. */
  ssub: number | undefined
  /** `multi`: commands queued in MULTI; -1 outside MULTI. */
  multi: number
  /** `watch`: watched keys, since Redis 7.4 / Valkey 8.0. */
  watch: number | undefined
  /** `qbuf`, bytes. */
  qbuf: number
  /** `qbuf-free`, bytes. */
  qbufFree: number
  /** `argv-mem`, bytes, since 6.0.9. */
  argvMem: number | undefined
  /** `multi-mem`, bytes, since 7.0. */
  multiMem: number | undefined
  /** `rbs`, bytes, since 7.0. */
  rbs: number | undefined
  /** `rbp`, bytes, since 7.0. */
  rbp: number | undefined
  /** `obl`, bytes. */
  obl: number
  /** `oll`, reply list length. */
  oll: number
  /** `omem`, bytes. */
  omem: number
  /** `tot-mem`, bytes, since 6.0.9. */
  totMem: number | undefined
  /** `events`: `r`, `w`, `rw` or `""`. */
  events: string
  /** `cmd`: last command, `NULL` before any; `container|sub` lower case since 7.0. */
  cmd: string
  /** `user`: ACL user, since 6.0. */
  user: string | undefined
  /** `redir`: tracking redirect id, -1 when not tracking; since 6.2. */
  redir: number | undefined
  /** `resp`: 2 or 3, since 7.0. */
  resp: number | undefined
  /** `lib-name`, since 7.2. */
  libName: string | undefined
  /** `lib-ver`, since 7.2. */
  libVer: string | undefined
  /** `io-thread`, Redis 8.0. */
  ioThread: number | undefined
  /** `tot-net-in`, bytes, Valkey 8.0 / Redis 8.x. */
  totNetIn: number | undefined
  /** `tot-net-out`, bytes, Valkey 8.0 / Redis 8.x. */
  totNetOut: number | undefined
  /** `tot-cmds`, Valkey 8.0 / Redis 8.x. */
  totCmds: number | undefined
  /** `capa`: capability letters, Valkey 8.1. */
  capa: string | undefined
  /** Fields this parser does not know, kept verbatim as strings; `undefined` when none. */
  extra: Record<string, string> | undefined
}

/** True for the connections a tool must never kill nor count as users' sessions. */
export function isReplicationLink(session: ClientSession): boolean {
  // S = replica seen on its master, M = master seen on its replica (docs/redis.md §5).
  return session.flags.includes('S') || session.flags.includes('M')
}

/** The name the service gives its own connections (contract §2); they are left out of every listing. */
export const OWN_CONNECTION_NAME = 'redis-sessions'
