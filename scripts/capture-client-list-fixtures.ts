/**
 * Regenerates the captured `CLIENT LIST` fixtures in `src/core/sessions/__fixtures__/`
 * from the local `redis-server` (docs/style.md §6):
 *
 *   npx tsx scripts/capture-client-list-fixtures.ts
 *
 * Starts a master (TCP on 127.0.0.1 and ::1 when available, plus a unix socket whose
 * path contains a space) and a replica on free ports, opens one connection of each
 * kind the parser must handle, waits until they are all in the wanted state, then
 * writes `redis-<major>.<minor>.txt` (the master's view) and
 * `redis-<major>.<minor>-replica.txt` (the replica's view: the `M` master link).
 * The random temp directory is replaced by `/tmp/redis sessions-fixture` so that
 * regenerating only changes ports, ids, ages and buffer sizes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { parseClientList } from '../src/core/sessions/parse-client-list.ts'

const OUT_DIR = new URL('../src/core/sessions/__fixtures__/', import.meta.url)
const STABLE_DIR = '/tmp/redis sessions-fixture'
const WAIT_MS = 10_000

interface ConnectOptions {
  host?: string
  port?: number
  path?: string
  db?: number
  connectionName?: string
  protocol?: 2 | 3
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'redis sessions-'))
  const socket = join(dir, 'redis.sock')
  const processes: ChildProcess[] = []
  const clients: Redis[] = []
  const open = (options: ConnectOptions): Redis => {
    // RESP2 unless asked: ioredis 6 defaults to RESP3, most deployed clients still speak RESP2.
    const client = new Redis({
      protocol: 2,
      disableClientInfo: true,
      maxRetriesPerRequest: 1,
      ...options,
    })
    client.on('error', () => undefined) // connection errors surface through the awaited commands
    clients.push(client)
    return client
  }
  const start = (port: number, extra: string[]): ChildProcess => {
    const args = ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir]
    const child = spawn('redis-server', [...args, ...extra], { stdio: 'ignore' })
    processes.push(child)
    return child
  }
  try {
    const port = await freePort()
    const replicaPort = await freePort()
    const ipv6 = await hasIpv6()
    const bind = ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1']
    start(port, ['--bind', ...bind, '--unixsocket', socket, '--unixsocketperm', '700'])
    start(replicaPort, ['--bind', '127.0.0.1', '--replicaof', '127.0.0.1', String(port)])

    const lister = open({ port, host: '127.0.0.1' })
    const onReplica = open({ port: replicaPort, host: '127.0.0.1' })
    await waitFor('the master', async () => (await lister.ping()) === 'PONG')
    await waitFor('the replica link', async () =>
      (await lister.info('replication')).includes('state=online')
    )

    const named = open({ port, host: '127.0.0.1', connectionName: 'app-web-1' })
    await named.call('CLIENT', 'NO-EVICT', 'on')
    await open({ path: socket, connectionName: 'a=b' }).ping()
    await open({ port, host: '127.0.0.1', db: 3 }).set('k3', 'v')
    await open({ port, host: '127.0.0.1', protocol: 3, connectionName: 'resp3' }).ping()
    if (ipv6) await open({ port, host: '::1', connectionName: 'over-ipv6' }).ping()

    const subscriber = open({ port, host: '127.0.0.1', connectionName: 'listener' })
    await subscriber.subscribe('news', 'alerts')
    await subscriber.psubscribe('news.*')
    const pubsub = await lister.call('CLIENT', 'LIST', 'TYPE', 'pubsub')
    const target = parseClientList(String(pubsub), `127.0.0.1:${port}`)[0]
    if (target === undefined) throw new Error('the subscriber is not listed')
    await open({ port, host: '127.0.0.1', connectionName: 'sharded' }).ssubscribe('orders')
    await open({ port, host: '127.0.0.1' }).call(
      'CLIENT',
      'TRACKING',
      'on',
      'REDIRECT',
      String(target.id)
    )

    const multi = open({ port, host: '127.0.0.1', connectionName: 'in-multi' })
    await multi.call('MULTI')
    await multi.call('SET', 'k', 'v')
    await multi.call('GET', 'k')

    const blocked = open({ port, host: '127.0.0.1', connectionName: 'worker' })
    blocked.blpop('queue', 0).catch(() => undefined) // never answered: disconnected below
    const monitor = await open({ port, host: '127.0.0.1' }).monitor() // a second connection
    clients.push(monitor)

    const list = async (client: Redis) => String(await client.call('CLIENT', 'LIST'))
    await waitFor('the blocked client', async () =>
      parseClientList(await list(lister), 'master').some((s) => s.flags.includes('b'))
    )
    const version = (await lister.info('server')).match(/redis_version:(\d+)\.(\d+)/)
    if (version === null) throw new Error('no redis_version in INFO')
    const name = `redis-${version[1]}.${version[2]}`
    const master = (await list(lister)).replaceAll(dir, STABLE_DIR)
    const replica = (await list(onReplica)).replaceAll(dir, STABLE_DIR)
    parseClientList(master, 'master') // refuse to write what we cannot parse
    parseClientList(replica, 'replica')
    await writeFile(new URL(`${name}.txt`, OUT_DIR), master)
    await writeFile(new URL(`${name}-replica.txt`, OUT_DIR), replica)
    console.log(`wrote ${name}.txt (${master.split('\n').length - 1} lines), ${name}-replica.txt`)
  } finally {
    for (const client of clients) client.disconnect()
    for (const child of processes) child.kill('SIGTERM')
    await Promise.all(processes.map((child) => exited(child)))
    await rm(dir, { recursive: true, force: true })
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

function hasIpv6(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(0, '::1', () => server.close(() => resolve(true)))
  })
}

await main()
