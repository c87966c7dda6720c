import { Redis } from 'ioredis'
import { connect as netConnect } from 'node:net'
import { waitFor } from './wait.ts'

/** A session `openMixedSessions` opened, as `CLIENT LIST` on the server should show it. */
export interface ExpectedSession {
  /** `CLIENT SETNAME` value; `''` for the one unnamed session. */
  name: string
  db: number
  /** Flag letters that must all appear in `flags` (`P` pub/sub, `x` MULTI, `b` blocked, `U` unix). */
  flagsInclude?: string
  /** The last command, as CLIENT LIST prints it. */
  cmd?: string
  via: 'tcp' | 'unix' | 'ipv6'
}

/** Where to open the sessions (a `RedisServerHandle` fits). */
export interface SessionServer {
  host: string
  port: number
  password?: string | undefined
  unixSocket?: string | undefined
}

/** The sessions that are open, and how to close them. */
export interface MixedSessions {
  expected: ExpectedSession[]
  /** Kinds that could not be opened here, with the reason (e.g. no IPv6 listener). */
  skipped: string[]
  /** Disconnects every session, then waits (up to 5 s) until the server no longer lists them. */
  close(): Promise<void>
}

/**
 * Opens client sessions of every kind with ioredis and resolves once each is in its state:
 * `count` (default 10) named clients that did PING, one unnamed, SUBSCRIBE, PSUBSCRIBE, one in MULTI
 * with a queued SET, one blocked in BLPOP, clients on db 1 and db 3, one over the unix socket (when
 * `server.unixSocket` is set) and one from `::1` (when the server accepts there; otherwise listed in
 * `skipped`). Every session except the unnamed one is named `<namePrefix>-<kind or index>`.
 */
export async function openMixedSessions(
  server: SessionServer,
  options: { count?: number; namePrefix?: string } = {}
): Promise<MixedSessions> {
  const prefix = options.namePrefix ?? 'client'
  const clients: Redis[] = []
  const expectedList: ExpectedSession[] = []
  const skipped: string[] = []
  const open = async (expected: ExpectedSession, setup: (c: Redis) => Promise<unknown>) => {
    expectedList.push(expected) // synchronously, so the list keeps the order below
    const client = await connect(server, expected)
    clients.push(client)
    if (expected.name !== '') await client.call('CLIENT', 'SETNAME', expected.name)
    await setup(client)
  }
  const close = () => closeAll(server, clients, expectedList, prefix)
  try {
    const tcp = (kind: string, db = 0): ExpectedSession => ({
      name: `${prefix}-${kind}`,
      db,
      via: 'tcp',
    })
    const ping = (c: Redis) => c.ping()
    await Promise.all([
      ...Array.from({ length: options.count ?? 10 }, (_, i) =>
        open({ ...tcp(String(i)), cmd: 'ping' }, ping)
      ),
      open({ ...tcp('subscribe'), flagsInclude: 'P', cmd: 'subscribe' }, (c) =>
        c.subscribe(`${prefix}:channel`)
      ),
      open({ ...tcp('psubscribe'), flagsInclude: 'P', cmd: 'psubscribe' }, (c) =>
        c.psubscribe(`${prefix}:pattern:*`)
      ),
      // A raw MULTI keeps the connection inside the transaction; the SET is only queued.
      open({ ...tcp('multi'), flagsInclude: 'x', cmd: 'set' }, async (c) => {
        await c.call('MULTI')
        await c.call('SET', `${prefix}:queued`, 'never-executed')
      }),
      open({ ...tcp('blpop'), flagsInclude: 'b', cmd: 'blpop' }, (c) => {
        // Nobody pushes to this key; the pending reply fails on close, which is expected.
        c.blpop(`${prefix}:never-pushed`, 0).catch(() => undefined)
        return Promise.resolve()
      }),
      open({ ...tcp('db1', 1), cmd: 'ping' }, ping),
      open({ ...tcp('db3', 3), cmd: 'ping' }, ping),
      ...(server.unixSocket === undefined
        ? []
        : [
            open(
              { name: `${prefix}-unix`, db: 0, via: 'unix', flagsInclude: 'U', cmd: 'ping' },
              ping
            ),
          ]),
    ])
    const noIpv6 = await tcpProbe('::1', server.port)
    if (noIpv6 === undefined) {
      await open({ name: `${prefix}-ipv6`, db: 0, via: 'ipv6', cmd: 'ping' }, ping)
    } else {
      skipped.push(`ipv6: ${noIpv6}`)
    }
    // The unnamed one checks that BLPOP has arrived, then PINGs so its last command is ping.
    await open({ name: '', db: 0, via: 'tcp', cmd: 'ping' }, async (c) => {
      await waitFor(async () => hasBlocked(await clientList(c), `${prefix}-blpop`), {
        what: `${prefix}-blpop to block`,
        timeoutMs: 10_000,
        intervalMs: 20,
      })
      await c.ping()
    })
    return { expected: expectedList, skipped, close }
  } catch (error) {
    await close()
    throw error
  }
}

async function connect(server: SessionServer, expected: ExpectedSession): Promise<Redis> {
  if (expected.via === 'unix' && server.unixSocket === undefined) {
    throw new Error('server has no unix socket')
  }
  const where =
    expected.via === 'unix'
      ? { path: server.unixSocket ?? '' }
      : { host: expected.via === 'ipv6' ? '::1' : server.host, port: server.port }
  // Not typed as RedisOptions: ioredis' constructor overloads reject that type under
  // exactOptionalPropertyTypes (its `replyMapping` is optional without `| undefined`).
  const client = new Redis({
    ...where,
    ...(server.password === undefined ? {} : { password: server.password }),
    db: expected.db,
    lazyConnect: true,
    connectTimeout: 3000,
    // A session that drops must stay dropped: tests count exactly these connections.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    // CLIENT SETINFO is 7.2+; on older servers it only adds an error to the connection's history.
    disableClientInfo: true,
  })
  // Errors surface through the awaited commands; an unhandled 'error' event would only add noise.
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw error
  }
  return client
}

async function clientList(client: Redis): Promise<string> {
  const reply = await client.call('CLIENT', 'LIST')
  if (typeof reply === 'string') return reply
  if (Buffer.isBuffer(reply)) return reply.toString('utf8')
  throw new Error('CLIENT LIST: unexpected reply type')
}

function hasBlocked(list: string, name: string): boolean {
  return list.split('\n').some((line) => line.includes(` name=${name} `) && /flags=\S*b/.test(line))
}

async function closeAll(
  server: SessionServer,
  clients: Redis[],
  expected: ExpectedSession[],
  prefix: string
): Promise<void> {
  for (const client of clients) client.disconnect()
  const checker = await connect(server, { name: '', db: 0, via: 'tcp' }).catch(() => undefined)
  if (checker === undefined) return
  const names = new Set(expected.map((e) => e.name).filter((n) => n !== ''))
  await waitFor(
    async () =>
      (await clientList(checker))
        .split('\n')
        .every((line) => !names.has(/ name=(\S*)/.exec(line)?.[1] ?? '')),
    { what: `sessions ${prefix}-* to disappear`, timeoutMs: 5000, intervalMs: 20 }
  ).catch(() => undefined)
  checker.disconnect()
}

/** Resolves undefined when `host:port` accepts a TCP connection, else the reason (no IPv6, refused…). */
function tcpProbe(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port })
    socket.setTimeout(2000, () => {
      socket.destroy()
      resolve(`connect to [${host}]:${port} timed out`)
    })
    socket.on('error', (error) => resolve(error.message))
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
  })
}
