/**
 * `npm run load` (not part of `npm test`): builds, starts a redis-server with 1,000 client
 * sessions and `redis-sessions serve` (pinned to CPU 0, rate limit off), registers the instance,
 * then three bounded wrk runs (pinned to CPU 1) on GetRedisAllSession from pre-signed V3 pools:
 * clean, 5 % bad signatures (evenly spread over the run and over wrk's threads), clean again.
 * Reports requests/s, p50/p90/p99, unexpected errors (must be 0; bad signatures must get exactly
 * SignatureDoesNotMatch), the share of bad requests really sent, and the server's RSS before and
 * after each run with a verdict: the third run (clean) may end at most the noise margin above
 * the first (clean too) — max(LOAD_RSS_NOISE_MIB, 10 % of the first run's) — or the run fails.
 * Environment: LOAD_DURATION_S (30), LOAD_CONNECTIONS (200), LOAD_THREADS (2), LOAD_SESSIONS
 * (1000), LOAD_POOL_SIZE (signed requests per run, 60000; a run that uses them all fails),
 * LOAD_TIMEOUT_S (wrk --timeout, 60), LOAD_RESULT_CACHE_MS (server default), LOAD_PIN=0 (no
 * taskset), LOAD_RSS_NOISE_MIB (64), LOAD_RUNS (3; more alternate clean and bad runs, to see
 * whether RSS settles; the heap and external memory after each run come from /metrics),
 * LOAD_SERVER_NODE_OPTIONS (the server's NODE_OPTIONS, e.g. --max-old-space-size=96).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { makeTempDir, stopAll } from '../test/support/processes.ts'
import { startRedisServer } from '../test/support/redis-server.ts'
import { ADMIN, callApi, dataOf } from '../test/reliability/support/live-api.ts'
import { serveEnv, startServeChild } from '../test/reliability/support/serve-child.ts'
import { writePool } from './sign-pool.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const DURATION_S = env('LOAD_DURATION_S', 30)
const CONNECTIONS = env('LOAD_CONNECTIONS', 200)
const THREADS = env('LOAD_THREADS', 2)
const SESSIONS = env('LOAD_SESSIONS', 1000)
const POOL_SIZE = env('LOAD_POOL_SIZE', 60_000)
/** wrk's per-request timeout: long, so a saturated server shows as latency, not as errors. */
const TIMEOUT_S = env('LOAD_TIMEOUT_S', 60)
/** Least RSS growth, MiB, of the third run over the first that counts as more than noise. */
const RSS_NOISE_MIB = env('LOAD_RSS_NOISE_MIB', 64)
/** Runs: clean, 5 % bad, clean (the verdict's three), then alternating, to see RSS settle. */
const RUNS = Math.max(3, env('LOAD_RUNS', 3))
/** The noise margin is also at least this share of the first run's RSS. */
const RSS_NOISE_SHARE = 0.1
/** A "5 %" run must really send 5 % ± this (percentage points) bad requests. */
const BAD_SHARE_TOLERANCE = 0.5
const INSTANCE_ID = 'r-load'
const SCRIPT = fileURLToPath(new URL('walk.lua', import.meta.url))

interface WrkResult {
  requests: number
  durationUs: number
  p50Us: number
  p90Us: number
  p99Us: number
  maxUs: number
  ok: number
  sigMismatch: number
  unexpected: number
  exhausted: number
  badSent: number
  sent: number
  connectErrors: number
  readErrors: number
  writeErrors: number
  timeouts: number
  firstUnexpected: string
}

function ensureWrk(): void {
  if (spawnSync('wrk', ['--version']).error === undefined) return
  if (process.getuid?.() !== 0) throw new Error('wrk is missing: apt-get install -y wrk')
  console.log('wrk is missing: apt-get install -y wrk')
  execFileSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'inherit' })
}

/** `taskset -c <cpu>` when taskset exists and the machine has 2+ CPUs; else nothing. */
function pinTo(cpu: number): string[] {
  if (process.env['LOAD_PIN'] === '0') return []
  const cpus = Number(execFileSync('nproc').toString().trim())
  return cpus >= 2 && spawnSync('taskset', ['--version']).error === undefined
    ? ['taskset', '-c', String(cpu)]
    : []
}

/** The server's own account of its memory, from prom-client's default metrics. */
async function heapMiB(url: string): Promise<{ heapUsed: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const read = (name: string) =>
    Number(new RegExp(`^redis_sessions_nodejs_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) /
    2 ** 20
  return { heapUsed: read('heap_size_used_bytes'), external: read('external_memory_bytes') }
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024
}

/** Opens `count` named sessions with raw RESP (cheap: one socket each, no client library). */
async function openSessions(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = []
  for (let i = 0; i < count; i++) {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('error', () => undefined)
    const name = `load-${i}`
    socket.write(`*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$${name.length}\r\n${name}\r\n`)
    sockets.push(socket)
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  return sockets
}

async function runWrk(url: string, pool: string, wrapper: string[]): Promise<WrkResult> {
  const args = [...wrapper, 'wrk', `-t${THREADS}`, `-c${CONNECTIONS}`, `-d${DURATION_S}s`]
  args.push('--timeout', `${TIMEOUT_S}s`, '--latency', '-s', SCRIPT, `${url}/`)
  const [command = 'wrk', ...rest] = args
  const child = spawn(command, rest, {
    env: { ...process.env, LOAD_POOL: pool, LOAD_THREADS: String(THREADS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  const line = /LOAD_RESULT (\{.*\})/.exec(out)?.[1]
  if (code !== 0 || line === undefined) throw new Error(`wrk failed (${code}):\n${out}`)
  return JSON.parse(line) as WrkResult
}

async function main(): Promise<void> {
  ensureWrk()
  const dir = await makeTempDir('rs-load-')
  const redis = await startRedisServer({ maxclients: SESSIONS + 1000 })
  const sockets = await openSessions(redis.port, SESSIONS)
  const masterKeyHex = randomBytes(32).toString('hex')
  const extra: Record<string, string> = { REDIS_SESSIONS_RATE_LIMIT: '0' }
  // e.g. `--max-old-space-size=96`: does the server keep up in a small heap (garbage V8 had no
  // reason to collect yet) or run out of it (a leak)?
  if (process.env['LOAD_SERVER_NODE_OPTIONS'] !== undefined) {
    extra['NODE_OPTIONS'] = process.env['LOAD_SERVER_NODE_OPTIONS']
  }
  if (process.env['LOAD_RESULT_CACHE_MS'] !== undefined) {
    extra['REDIS_SESSIONS_RESULT_CACHE_MS'] = process.env['LOAD_RESULT_CACHE_MS']
  }
  const server = await startServeChild(join(dir, 'data'), serveEnv(masterKeyHex, extra), {
    wrapper: pinTo(0),
  })
  try {
    dataOf(
      await callApi(server.url, ADMIN, 'AddRedisInstance', {
        InstanceId: INSTANCE_ID,
        Topology: 'standalone',
        Endpoints: `127.0.0.1:${redis.port}`,
      })
    )
    const first = dataOf(
      await callApi(server.url, ADMIN, 'GetRedisAllSession', { InstanceId: INSTANCE_ID })
    )
    const total = Number(first['Total'])
    if (total < SESSIONS) throw new Error(`the instance lists ${total} sessions, not ${SESSIONS}`)
    console.log(
      `redis-server ${redis.port} with ${total} sessions; server ${server.url} pid ${server.pid}`
    )
    const runs: Run[] = []
    const plan = Array.from({ length: RUNS }, (_, i) =>
      i % 2 === 0
        ? ([i === 0 ? 'clean' : 'clean again', 0] as const)
        : ([i === 1 ? '5% bad signatures' : '5% bad again', 0.05] as const)
    )
    for (const [name, badFraction] of plan) {
      const pool = join(dir, `pool-${runs.length}.tsv`)
      const bad = await writePool({
        file: pool,
        endpoint: server.url,
        instanceId: INSTANCE_ID,
        accessKeyId: ADMIN.accessKeyId,
        accessKeySecret: ADMIN.accessKeySecret,
        count: POOL_SIZE,
        badFraction,
      })
      // Measured after the pool is written: the server has idled for that long since the last run.
      const rssBefore = await rssMiB(server.pid)
      const result = await runWrk(server.url, pool, pinTo(1))
      const rssAfter = await rssMiB(server.pid)
      runs.push({
        name,
        badFraction,
        result,
        bad,
        rssBefore,
        rssAfter,
        ...(await heapMiB(server.url)),
      })
    }
    report(runs, total)
  } finally {
    for (const socket of sockets) socket.destroy()
    server.kill('SIGTERM')
    await server.exited
    await stopAll()
  }
}

/** One wrk run and the server's RSS (MiB) around it. */
interface Run {
  name: string
  badFraction: number
  result: WrkResult
  /** Bad lines in its pool. */
  bad: number
  rssBefore: number
  rssAfter: number
  /** V8 heap in use and memory outside it (Buffers), MiB, right after the run (`/metrics`). */
  heapUsed: number
  external: number
}

function report(runs: readonly Run[], sessions: number): void {
  const ms = (us: number) => (us / 1000).toFixed(1)
  console.log(
    `\nGetRedisAllSession, ${sessions} sessions, ${CONNECTIONS} connections, ${THREADS} wrk threads, ${DURATION_S} s per run`
  )
  const mib = (value: number) => value.toFixed(0)
  console.log(
    '| run | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 200 | SignatureDoesNotMatch | bad sent | unexpected | RSS before → after MiB | heap / external after MiB |'
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  let failures = 0
  for (const { name, badFraction, result: r, rssBefore, rssAfter, heapUsed, external } of runs) {
    const socketErrors = r.connectErrors + r.readErrors + r.writeErrors + r.timeouts
    const unexpected = r.unexpected + socketErrors
    const rate = r.requests / (r.durationUs / 1e6)
    const badShare = r.sent === 0 ? 0 : (100 * r.badSent) / r.sent
    console.log(
      `| ${name} | ${r.requests} | ${rate.toFixed(0)} | ${ms(r.p50Us)} | ${ms(r.p90Us)} | ${ms(r.p99Us)} | ` +
        `${ms(r.maxUs)} | ${r.ok} | ${r.sigMismatch} | ${r.badSent} of ${r.sent} (${badShare.toFixed(1)} %) | ` +
        `${unexpected} | ${mib(rssBefore)} → ${mib(rssAfter)} | ${mib(heapUsed)} / ${mib(external)} |`
    )
    // Every bad request answered is a SignatureDoesNotMatch; at most the in-flight ones are unanswered.
    const badOk = r.sigMismatch <= r.badSent && r.badSent - r.sigMismatch <= CONNECTIONS
    // The share sent is the share asked for (a run too short to reach one bad line excepted).
    const shareOk =
      badFraction === 0
        ? r.badSent === 0
        : r.sent * badFraction < 1 || Math.abs(badShare - 100 * badFraction) <= BAD_SHARE_TOLERANCE
    if (unexpected > 0 || r.exhausted > 0 || !badOk || !shareOk) {
      failures++
      console.log(
        `  FAILED: unexpected ${unexpected} (socket ${socketErrors}), pool exhausted ${r.exhausted}, ` +
          `bad share ${badShare.toFixed(2)} % for ${100 * badFraction} %, first: ${r.firstUnexpected}`
      )
    }
  }
  const first = runs[0]
  const third = runs[2]
  if (first !== undefined && third !== undefined) {
    // Both clean runs: the same work, so the second should need no more memory than the first.
    const growth = third.rssAfter - first.rssAfter
    const margin = Math.max(RSS_NOISE_MIB, RSS_NOISE_SHARE * first.rssAfter)
    const verdict =
      growth > margin
        ? `FLAGGED: grew by ${mib(growth)} MiB, beyond the noise margin`
        : 'no growth beyond noise'
    console.log(
      `server RSS: ${mib(first.rssBefore)} MiB before the first run; after the first ${mib(first.rssAfter)}, ` +
        `after the third ${mib(third.rssAfter)} MiB (${growth >= 0 ? '+' : ''}${mib(growth)}; noise margin ` +
        `${mib(margin)} MiB = max(${RSS_NOISE_MIB} MiB, ${100 * RSS_NOISE_SHARE} % of the first)): ${verdict}`
    )
    if (growth > margin) failures++
    const last = runs.at(-1)
    if (last !== undefined && runs.length > 3) {
      console.log(
        `after the last of ${runs.length} runs: RSS ${mib(last.rssAfter)} MiB (${mib(last.rssAfter - third.rssAfter)} over the third)`
      )
    }
  }
  if (failures > 0) process.exitCode = 1
}

await main()
