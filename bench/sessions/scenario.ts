import { fileURLToPath } from 'node:url'
import { runRedisCli, parseInfo } from '../../test/support/redis-cli.ts'
import { startCluster } from '../../test/support/redis-cluster.ts'
import { startRedisServer } from '../../test/support/redis-server.ts'
import { startApiServer } from './api-server.ts'
import { holdConnections } from './holders.ts'
import { nodeRedisSessions } from './node-redis-path.ts'
import { median, peakRssMb, timeCall, timeProcess } from './timing.ts'

const BIN = fileURLToPath(new URL('../../bin/redis-sessions.js', import.meta.url))

export interface Scenario {
  name: string
  topology: 'standalone' | 'cluster'
  clientsPerNode: number
}

export interface ScenarioFigures {
  scenario: Scenario
  sessions: number
  runs: number
  /** ms per run: (a) redis-cli (slowest node), (b) CLI process, (c) HTTP API, (d) node-redis path. */
  redisCliMs: number[]
  cliMs: number[]
  apiMs: number[]
  nodeRedisMs: number[]
  responseBytes: number
  serverPeakRssMb: number
  /** CLIENT LIST calls per node caused by 50 concurrent identical API requests. */
  coalescing: { requests: number; clientListCallsPerNode: number[] }
}

/** Starts the deployment, opens the idle clients, measures (a)–(d) interleaved, stops everything. */
export async function runScenario(scenario: Scenario, runs: number): Promise<ScenarioFigures> {
  const deployment = await startDeployment(scenario)
  const ports = deployment.ports
  const holders = await holdConnections(ports, scenario.clientsPerNode)
  const server = await startApiServer()
  try {
    const [seed] = ports
    await server.call('AddRedisInstance', {
      InstanceId: 'bench',
      Topology: scenario.topology,
      Endpoints: `127.0.0.1:${seed}`,
    })
    const cliArgs = [BIN, 'sessions', `redis://127.0.0.1:${seed}`, '--json', '--timeout', '10000']
    if (scenario.topology === 'cluster') cliArgs.push('--cluster')
    const measure = {
      redisCli: () => slowestRedisCli(ports),
      cli: () => timeProcess(process.execPath, cliArgs),
      api: () => timeCall(() => server.call('GetRedisAllSession', { InstanceId: 'bench' })),
      nodeRedis: () => timeCall(() => nodeRedisSessions(ports)),
    }
    const figures = {
      redisCliMs: [] as number[],
      cliMs: [] as number[],
      apiMs: [] as number[],
      nodeRedisMs: [] as number[],
    }
    for (let run = -1; run < runs; run++) {
      // Interleaved: each run measures every path once; run -1 is the warm-up.
      const a = await measure.redisCli()
      const b = await measure.cli()
      const c = await measure.api()
      const d = await measure.nodeRedis()
      if (run < 0) continue
      figures.redisCliMs.push(a)
      figures.cliMs.push(b)
      figures.apiMs.push(c)
      figures.nodeRedisMs.push(d)
    }
    const body = await server.call('GetRedisAllSession', { InstanceId: 'bench' })
    const sessions = (JSON.parse(body) as { Data: { Total: number } }).Data.Total
    // Coalescing is measured on a second server with the default 1 s result cache: the
    // coalescing window is single flight plus that cache (docs/performance.md).
    const coalescingServer = await startApiServer({ REDIS_SESSIONS_RESULT_CACHE_MS: '1000' })
    let coalescing: ScenarioFigures['coalescing']
    try {
      await coalescingServer.call('AddRedisInstance', {
        InstanceId: 'bench',
        Topology: scenario.topology,
        Endpoints: `127.0.0.1:${seed}`,
        SkipCheck: 'true',
      })
      coalescing = await measureCoalescing(ports, () =>
        coalescingServer.call('GetRedisAllSession', { InstanceId: 'bench' })
      )
    } finally {
      await coalescingServer.stop()
    }
    return {
      scenario,
      sessions,
      runs,
      ...figures,
      responseBytes: Buffer.byteLength(body),
      serverPeakRssMb: await peakRssMb(server.pid),
      coalescing,
    }
  } finally {
    await server.stop()
    await holders.close()
    await deployment.stop()
  }
}

async function startDeployment(
  scenario: Scenario
): Promise<{ ports: number[]; stop(): Promise<void> }> {
  if (scenario.topology === 'cluster') {
    const cluster = await startCluster()
    return { ports: cluster.nodes.map((node) => node.port), stop: () => cluster.stop() }
  }
  const server = await startRedisServer({ maxclients: scenario.clientsPerNode + 1000 })
  return { ports: [server.port], stop: () => server.stop() }
}

async function slowestRedisCli(ports: readonly number[]): Promise<number> {
  let slowest = 0
  for (const port of ports) {
    slowest = Math.max(
      slowest,
      await timeProcess('redis-cli', ['-p', String(port), 'CLIENT', 'LIST'])
    )
  }
  return slowest
}

async function measureCoalescing(
  ports: readonly number[],
  request: () => Promise<unknown>
): Promise<{ requests: number; clientListCallsPerNode: number[] }> {
  const requests = 50
  for (const port of ports) await runRedisCli({ host: '127.0.0.1', port }, ['CONFIG', 'RESETSTAT'])
  await Promise.all(Array.from({ length: requests }, request))
  const calls = await Promise.all(
    ports.map(async (port) => {
      const info = parseInfo(
        await runRedisCli({ host: '127.0.0.1', port }, ['INFO', 'commandstats'])
      )
      const line = info.get('cmdstat_client|list') ?? ''
      return Number(/calls=(\d+)/.exec(line)?.[1] ?? 0)
    })
  )
  return { requests, clientListCallsPerNode: calls }
}

/** Medians and the ratios the issue asks for. */
export function summarize(figures: ScenarioFigures) {
  const a = median(figures.redisCliMs)
  const b = median(figures.cliMs)
  const c = median(figures.apiMs)
  const d = median(figures.nodeRedisMs)
  return { a, b, c, d, bOverA: b / a, cOverA: c / a, dOverC: d / c }
}
