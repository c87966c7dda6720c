import { Redis } from 'ioredis'
import { parseInfo } from '../support/redis-cli.ts'
import { waitFor } from '../support/wait.ts'

/** One `CLIENT LIST` line, reduced to the fields the live tests compare. */
export interface ListedSession {
  id: number
  addr: string
  name: string
  flags: string
  db: number
  idle: number
  cmd: string
}

/** The name redis-sessions gives its own connections (contract §2). */
export const OWN_NAME = 'redis-sessions'

/** The name of the tests' verification connections (they are sessions like any other). */
export const VERIFIER_NAME = 'verifier'

/** Where to connect (a `RedisServerHandle` fits). */
export interface Reachable {
  host: string
  port: number
  password?: string | undefined
}

/**
 * Parses `CLIENT LIST` independently of `src/` (so the code under test is not its own oracle):
 * tokens split at the first `=` (names may hold `=`, redis.md §1).
 */
export function parseListedSessions(text: string): ListedSession[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = new Map<string, string>()
      for (const token of line.trim().split(' ')) {
        const eq = token.indexOf('=')
        if (eq > 0) fields.set(token.slice(0, eq), token.slice(eq + 1))
      }
      const get = (key: string): string => {
        const value = fields.get(key)
        if (value === undefined) throw new Error(`CLIENT LIST line without ${key}: ${line}`)
        return value
      }
      return {
        id: Number(get('id')),
        addr: get('addr'),
        name: get('name'),
        flags: get('flags'),
        db: Number(get('db')),
        idle: Number(get('idle')),
        cmd: get('cmd'),
      }
    })
}

/** `id addr name`: what identifies one session on one node. */
export function identity(session: { id: number; addr: string; name: string }): string {
  return `${session.id} ${session.addr} ${session.name}`
}

/** `calls=` of `cmdstat_client|list` in `INFO commandstats` (7.0+ names subcommands), via redis-cli. */
export async function clientListCalls(server: {
  cli(...args: string[]): Promise<string>
}): Promise<number> {
  const stats = parseInfo(await server.cli('INFO', 'commandstats'))
  return Number(/calls=(\d+)/.exec(stats.get('cmdstat_client|list') ?? '')?.[1] ?? 0)
}

/** A long-lived connection named `verifier` that reads `CLIENT LIST` on one node. */
export interface Verifier {
  /** Every session the node lists now, except redis-sessions' own (e.g. a CLI's closing ones). */
  list(): Promise<ListedSession[]>
  close(): void
}

/** Opens a verifier; open it before the run it checks, so that run lists it too. */
export async function openVerifier(server: Reachable): Promise<Verifier> {
  const client = await openClient(server, VERIFIER_NAME)
  return {
    async list() {
      const reply = await client.call('CLIENT', 'LIST')
      const text = Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply)
      return parseListedSessions(text).filter((s) => s.name !== OWN_NAME)
    },
    close: () => client.disconnect(),
  }
}

/** Sessions opened by `openNamedSessions`. */
export interface NamedSessions {
  /** Names given (`''` for the unnamed ones), one per session. */
  names: string[]
  /** Disconnects all and waits until the server no longer lists the named ones. */
  close(): Promise<void>
}

/**
 * Opens `count` plain sessions that work on any node (replicas and cluster nodes included, where
 * `openMixedSessions` cannot run MULTI/BLPOP/SELECT): names `<prefix>-<i>`, every 10th unnamed,
 * every 7th subscribed to a channel, every 5th in READONLY mode when `readonly` (cluster replicas,
 * flag `r`); the others PING.
 */
export async function openNamedSessions(
  server: Reachable,
  options: { count: number; prefix: string; readonly?: boolean }
): Promise<NamedSessions> {
  const names = Array.from({ length: options.count }, (_, i) =>
    i % 10 === 9 ? '' : `${options.prefix}-${i}`
  )
  const settled = await Promise.allSettled(
    names.map(async (name, i) => {
      const client = await openClient(server, name === '' ? undefined : name)
      if (i % 7 === 3) await client.subscribe(`${options.prefix}:channel`)
      else if (options.readonly === true && i % 5 === 1) await client.call('READONLY')
      else await client.ping()
      return client
    })
  )
  const clients = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const close = async (): Promise<void> => {
    for (const client of clients) client.disconnect()
    const checker = await openVerifier(server).catch(() => undefined)
    if (checker === undefined) return
    const mine = new Set(names.filter((n) => n !== ''))
    await waitFor(async () => (await checker.list()).every((s) => !mine.has(s.name)), {
      what: `sessions ${options.prefix}-* to disappear`,
      timeoutMs: 5000,
    }).catch(() => undefined)
    checker.close()
  }
  const failed = settled.find((r) => r.status === 'rejected')
  if (failed !== undefined) {
    await close()
    throw failed.reason
  }
  return { names, close }
}

/** A plain ioredis client named `name`: no retries, no reconnects, no CLIENT SETINFO noise. */
export async function openClient(server: Reachable, name: string | undefined): Promise<Redis> {
  const client = new Redis({
    host: server.host,
    port: server.port,
    ...(server.password === undefined ? {} : { password: server.password }),
    ...(name === undefined ? {} : { connectionName: name }),
    lazyConnect: true,
    connectTimeout: 5000,
    enableReadyCheck: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    disableClientInfo: true,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw error
  }
  return client
}
