import { mkdir, readFile } from 'node:fs/promises'
import { pino, type Logger } from 'pino'
import { createActionRegistry } from '../api/actions/registry.ts'
import { createApp } from '../api/create-app.ts'
import type { Services } from '../api/services.ts'
import { createMetrics, DEFAULT_STALE_AFTER_MS } from '../metrics/create-metrics.ts'
import { ConfigError, type Config } from '../config/load-config.ts'
import { createCleanup } from '../service/cleanup.ts'
import { createHistorySampler, type HistorySampler } from '../service/history-sampler.ts'
import { loadMasterKey } from '../store/master-key.ts'
import { openStore } from '../store/open-store.ts'
import type { Store } from '../store/store.ts'
import type { GeneratedAdminSecrets } from './bootstrap-admin.ts'
import { createServices } from './create-services.ts'
import { bootstrapAdminAmongReplicas, openReplicaCoordination } from './replica-coordination.ts'

export interface RunningServer {
  /** `http://127.0.0.1:8080` (the port actually bound when 0 was asked). */
  url: string
  store: Store
  close(): Promise<void>
}

/** Opens the store, bootstraps `admin`, builds the services and the app, and listens. */
export async function startServer(config: Config, logger: Logger = pino()): Promise<RunningServer> {
  const actions = createActionRegistry()
  checkRateLimitedActions(config, actions)
  await mkdir(config.dataDir, { recursive: true })
  const masterKey = await loadMasterKey({ env: config.masterKey, dataDir: config.dataDir })
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    masterKey,
  })
  const replicas = openReplicaCoordination(config.databaseUrl, logger)
  try {
    showGenerated(await bootstrapAdminAmongReplicas(store, config.admin))
    const metrics = createMetrics({
      idleThresholdSeconds: config.idleThresholdSeconds,
      // Gauges of an instance outlive a few missed sampler rounds, not a deletion.
      staleAfterMs: Math.max(DEFAULT_STALE_AFTER_MS, 3000 * config.historyIntervalSeconds),
    })
    const services = createServices(store, config, { logger, metrics, nonces: replicas.nonces })
    const https =
      config.tls === undefined
        ? undefined
        : { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) }
    const app = createApp({
      services,
      actions,
      https,
      metrics,
      metricsToken: config.metricsToken,
      trustedProxies: config.trustedProxies,
      requireHttps: config.requireHttps,
    })
    await app.listen({ host: config.host, port: config.port })
    const sampler = startHistorySampler(store, services, config, replicas.leadership.shouldSample)
    const cleanup = createCleanup({ store, logger })
    cleanup.start()
    const address = app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    const url = `${https === undefined ? 'http' : 'https'}://${host}:${port}`
    logger.info(
      { url, store: config.databaseUrl === undefined ? 'sqlite' : 'postgres' },
      'listening'
    )
    return {
      url,
      store,
      async close() {
        await sampler?.stop()
        await cleanup.stop()
        await app.close()
        await replicas.close()
        await store.close()
      },
    }
  } catch (error) {
    await replicas.close()
    await store.close()
    throw error
  }
}

/** The history sampler (contract §5) when `REDIS_SESSIONS_HISTORY_INTERVAL_S` > 0. */
function startHistorySampler(
  store: Store,
  services: Services,
  config: Config,
  shouldSample: () => Promise<boolean>
): HistorySampler | undefined {
  if (config.historyIntervalSeconds === 0) return undefined
  const sampler = createHistorySampler({
    store,
    sessions: services.sessions,
    logger: services.logger,
    intervalSeconds: config.historyIntervalSeconds,
    retentionHours: config.historyRetentionHours,
    shouldSample,
  })
  sampler.start()
  return sampler
}

/** Contract §7: generated credentials are printed once, to the terminal, never to the log. */
function showGenerated(generated: GeneratedAdminSecrets): void {
  const lines: string[] = []
  if (generated.accessKey !== undefined) {
    lines.push(`  AccessKeyId:     ${generated.accessKey.accessKeyId}`)
    lines.push(`  AccessKeySecret: ${generated.accessKey.accessKeySecret}`)
  }
  if (generated.password !== undefined) lines.push(`  console password: ${generated.password}`)
  if (lines.length === 0) return
  process.stdout.write(
    `\nredis-sessions created user "admin". Keep these now, they are not shown again:\n${lines.join('\n')}\n\n`
  )
}

/** A typo in `REDIS_SESSIONS_API_RATE_LIMIT` stops the start instead of silently limiting nothing. */
function checkRateLimitedActions(config: Config, actions: ReadonlyMap<string, unknown>): void {
  for (const action of config.apiRateLimits.perAction.keys()) {
    if (!actions.has(action)) {
      throw new ConfigError(`REDIS_SESSIONS_API_RATE_LIMIT: there is no action ${action}`)
    }
  }
}
