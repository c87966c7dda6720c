/**
 * Throughput of GetRedisAllSession with a cached result: one replica vs two on one PostgreSQL
 * (and one on SQLite as the baseline), plus the sizes docs/deployment.md quotes. Not part of
 * `npm test`; needs root (throwaway PostgreSQL cluster), redis-server and a build:
 *
 *   npm run build && node --import tsx load/replicas.ts [--seconds 10] [--rounds 3]
 *     [--concurrency 32] [--sessions 200] [--pin]
 *
 * `--pin` binds replica i (of each deployment) to CPU i (`taskset`): one replica gets one core,
 * two replicas two cores, so the comparison shows what a second replica adds when it has a
 * core of its own, on a host too small to give each replica a whole machine.
 *
 * One loop in this process signs every request (V3, fresh nonce, as an SDK does) and sends it
 * over keep-alive sockets, round-robin over the replicas; bounded by time, not by count.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import { parseArgs, promisify } from 'node:util'
import pg from 'pg'
import { buildSignedRequest } from '../src/api/signature/sign.ts'
import { openStore } from '../src/store/open-store.ts'
import type { HistoryPoint } from '../src/store/store.ts'
import { openNamedSessions } from '../test/cli/live-sessions.ts'
import { startPostgresCluster } from '../test/store/postgres-cluster.ts'
import { startRedisServer } from '../test/support/redis-server.ts'
import {
  ADMIN,
  newMasterKey,
  startReplica,
  type Replica,
} from '../test/replicas/support/replica-process.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    sessions: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    pin: { type: 'boolean', default: false },
  },
})
const SECONDS = Number(values.seconds)
const CONCURRENCY = Number(values.concurrency)
const ROUNDS = Number(values.rounds)
const INSTANCE = 'r-load'
/** Keep-alive sockets of one run; replaced between runs (idle ones get closed by the server). */
let agent = new Agent({ keepAlive: true, maxSockets: 1024 })

interface Outcome {
  requests: number
  errors: Record<string, number>
  perSecond: number
  p50: number
  p99: number
}

/** A running deployment under test. */
interface Deployment {
  label: string
  databaseUrl: string | undefined
  replicas: Replica[]
  runs: (Outcome & { perRequest: { tx?: number; serverCpuMs: number; loaderCpuMs: number } })[]
}

const cluster = await startPostgresCluster()
const redis = await startRedisServer()
const sessions = await openNamedSessions(redis, { count: Number(values.sessions), prefix: 'load' })
const deployments: Deployment[] = []
try {
  deployments.push(await deploy('SQLite, 1 replica', undefined, 1))
  deployments.push(await deploy('PostgreSQL, 1 replica', await newDatabase('load_one'), 1))
  deployments.push(await deploy('PostgreSQL, 2 replicas', await newDatabase('load_two'), 2))
  // Interleaved rounds, so that other load on the host spreads over every deployment alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const deployment of deployments) await measure(deployment)
  }
  printOutcomes()
  console.log('')
  await printTableSize(deployments[2]?.databaseUrl ?? '', 'nonces', 'rows')
  await printHistorySize(await newDatabase('load_history'))
} finally {
  for (const deployment of deployments) {
    await Promise.all(deployment.replicas.map((replica) => replica.stop()))
  }
  await sessions.close()
  await redis.stop()
  await cluster.stop()
}

async function newDatabase(name: string): Promise<string> {
  await onDatabase(cluster.url('postgres'), `create database ${name}`)
  return cluster.url(name)
}

async function onDatabase<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(text)).rows
  } finally {
    await client.end()
  }
}

async function deploy(label: string, databaseUrl: string | undefined, count: number) {
  const env = {
    databaseUrl,
    masterKey: newMasterKey(),
    // No per-key rate limit (default 50/s), no sampler: API traffic only; the default 1 s
    // result cache serves nearly every call.
    env: { REDIS_SESSIONS_RATE_LIMIT: '0', REDIS_SESSIONS_HISTORY_INTERVAL_S: '0' },
    keepLogs: false,
  }
  const deployment: Deployment = { label, databaseUrl, replicas: [], runs: [] }
  for (let i = 0; i < count; i++) {
    const replica = await startReplica(`load-${i}`, env)
    if (values.pin) await pinToCpu(replica.pid, i % cpus().length)
    deployment.replicas.push(replica)
  }
  const first = deployment.replicas[0]?.url ?? ''
  const added = await send(first, 'AddRedisInstance', {
    InstanceId: INSTANCE,
    Endpoints: `127.0.0.1:${redis.port}`,
  })
  if (added.status !== 200) throw new Error(`AddRedisInstance: ${added.status} ${added.body}`)
  return deployment
}

/** Binds every thread of `pid` to one CPU (util-linux `taskset`). */
async function pinToCpu(pid: number, cpu: number): Promise<void> {
  await promisify(execFile)('taskset', [
    '--all-tasks',
    '--cpu-list',
    '--pid',
    String(cpu),
    String(pid),
  ])
}

async function measure(deployment: Deployment): Promise<void> {
  const targets = deployment.replicas.map((replica) => replica.url)
  agent.destroy()
  agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  await loop(targets, 2) // warm-up: JIT, pools, caches
  const commits = () =>
    deployment.databaseUrl === undefined
      ? Promise.resolve(0)
      : onDatabase<{ n: number }>(
          deployment.databaseUrl,
          'select xact_commit::int as n from pg_stat_database where datname = current_database()'
        ).then((rows) => rows[0]?.n ?? 0)
  const [tx0, cpu0, loader0] = [
    await commits(),
    await cpuMs(deployment.replicas),
    process.cpuUsage(),
  ]
  const outcome = await loop(targets, SECONDS)
  const transactions = (await commits()) - tx0 - 1 // the probe's own
  const server = (await cpuMs(deployment.replicas)) - cpu0
  const loader = process.cpuUsage(loader0)
  const n = outcome.requests
  deployment.runs.push({
    ...outcome,
    perRequest: {
      ...(deployment.databaseUrl === undefined ? {} : { tx: transactions / n }),
      serverCpuMs: server / n,
      loaderCpuMs: (loader.user + loader.system) / 1000 / n,
    },
  })
}

/** CPU time (user + system) of the replica processes so far, ms (/proc, USER_HZ = 100). */
async function cpuMs(replicas: Replica[]): Promise<number> {
  let ticks = 0
  for (const { pid } of replicas) {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? []
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0)
  }
  return ticks * 10
}

function send(target: string, action: string, params: Record<string, string>) {
  const signed = buildSignedRequest({ endpoint: target, scheme: 'V3', action, params, ...ADMIN })
  const url = new URL(signed.url)
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: signed.method,
        headers: signed.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
        )
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(signed.body.length === 0 ? undefined : signed.body)
  })
}

async function loop(targets: string[], seconds: number): Promise<Outcome> {
  const deadline = performance.now() + seconds * 1000
  const latencies: number[] = []
  const errors: Record<string, number> = {}
  let next = 0
  const worker = async () => {
    while (performance.now() < deadline) {
      const target = targets[next++ % targets.length] ?? ''
      const started = performance.now()
      try {
        const answer = await send(target, 'GetRedisAllSession', { InstanceId: INSTANCE })
        if (answer.status === 200) latencies.push(performance.now() - started)
        else {
          const code = /"Code":"([^"]+)"/.exec(answer.body)?.[1] ?? String(answer.status)
          errors[code] = (errors[code] ?? 0) + 1
        }
      } catch (error) {
        const code = error instanceof Error ? error.message : 'error'
        errors[code] = (errors[code] ?? 0) + 1
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((x, y) => x - y)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  }
}

function printOutcomes(): void {
  const cpu = cpus()
  console.log(
    `\n${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), Node ${process.version}; ${ROUNDS} interleaved runs of ${SECONDS} s per deployment, concurrency ${CONCURRENCY}, ${values.sessions} sessions in each answer${values.pin ? '; replica i pinned to CPU i' : ''}\n`
  )
  console.log(
    '| Deployment | req/s (median) | runs | p50 ms | p99 ms | PG tx/req | server CPU ms/req | loader CPU ms/req | errors |'
  )
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---|')
  for (const { label, runs } of deployments) {
    const sorted = [...runs].sort((x, y) => x.perSecond - y.perSecond)
    const median = sorted[Math.floor(sorted.length / 2)]
    if (median === undefined) continue
    const all = runs.map((run) => run.perSecond.toFixed(0)).join(' / ')
    const errors = new Map<string, number>()
    for (const run of runs) {
      for (const [code, n] of Object.entries(run.errors))
        errors.set(code, (errors.get(code) ?? 0) + n)
    }
    const errorText = [...errors].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'
    const { tx, serverCpuMs, loaderCpuMs } = median.perRequest
    const cells = [median.perSecond.toFixed(0), all, median.p50.toFixed(1), median.p99.toFixed(1)]
    cells.push(tx?.toFixed(2) ?? '—', serverCpuMs.toFixed(2), loaderCpuMs.toFixed(2), errorText)
    console.log(`| ${label} | ${cells.join(' | ')} |`)
  }
}

/** Rows and bytes (with indexes) of one table. */
async function printTableSize(url: string, table: string, what: string): Promise<void> {
  const [row] = await onDatabase<{ rows: number; bytes: number }>(
    url,
    `select count(*)::int as rows, pg_total_relation_size('${table}')::int as bytes from ${table}`
  )
  if (row === undefined || row.rows === 0) return
  const mib = (row.bytes / 1024 / 1024).toFixed(1)
  console.log(
    `${table}: ${row.rows} ${what}, ${mib} MiB = ${(row.bytes / row.rows).toFixed(0)} B/row`
  )
}

/** One day of 60 s samples of one instance with 6 nodes, 20 sources, 10 names, 3 users. */
async function printHistorySize(url: string): Promise<void> {
  const store = await openStore({ databaseUrl: url, dataDir: '-', masterKey: randomBytes(32) })
  try {
    await store.instances.add({ instanceId: 'r-day', topology: 'standalone', endpoints: ['h:1'] })
    const keys: [HistoryPoint['groupBy'], string[]][] = [
      ['total', ['']],
      ['node', Array.from({ length: 6 }, (_, i) => `r-day-db-${i}#6379`)],
      ['source', Array.from({ length: 20 }, (_, i) => `10.1.${i}.${i + 7}`)],
      ['name', Array.from({ length: 10 }, (_, i) => `worker-${i}`)],
      ['user', ['default', 'app', 'ops']],
    ]
    for (let minute = 0; minute < 1440; minute++) {
      const time = Date.UTC(2030, 0, 1) + minute * 60_000
      const points = keys.flatMap(([groupBy, names]) =>
        names.map((key) => ({ instanceId: 'r-day', time, groupBy, key, count: 40, active: 3 }))
      )
      await store.history.insertPoints(points)
    }
  } finally {
    await store.close()
  }
  await printTableSize(url, 'history_points', 'rows/instance/day')
}
