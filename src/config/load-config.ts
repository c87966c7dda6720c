import { resolve } from 'node:path'

/** Everything the server reads from its environment (contract §8); the only reader of `process.env`. */
export interface Config {
  host: string
  port: number
  dataDir: string
  /** `postgres://…` switches the store to PostgreSQL; absent = SQLite file in `dataDir`. */
  databaseUrl: string | undefined
  /** `REDIS_SESSIONS_MASTER_KEY`: 32 bytes as 64 hex chars or base64; absent = key file in dataDir. */
  masterKey: string | undefined
  admin: {
    accessKeyId: string | undefined
    accessKeySecret: string | undefined
    password: string | undefined
  }
  /** History sampler interval, seconds; 0 = off. */
  historyIntervalSeconds: number
  /** History points are deleted after this many hours (`REDIS_SESSIONS_HISTORY_RETENTION_H`, default 168 = 7 days). */
  historyRetentionHours: number
  tls: { certFile: string; keyFile: string } | undefined
  /** Result cache per instance, ms; 0 disables (concurrent requests still share one collection). */
  resultCacheMs: number
  /** Per-node CLIENT LIST timeout, ms. */
  nodeTimeoutMs: number
  /** `REDIS_SESSIONS_IDLE_THRESHOLD_S`: idle ≥ this counts in `redis_sessions_idle_sessions`. */
  idleThresholdSeconds: number
  /** `REDIS_SESSIONS_RATE_LIMIT`: requests/s per AccessKeyId, burst 2×; 0 = off. */
  rateLimitPerSecond: number
  /** `REDIS_SESSIONS_METRICS_TOKEN`: bearer token of `GET /metrics`; absent = open. */
  metricsToken: string | undefined
}

/** Raised for an environment value that cannot be used; the message names the variable, never a secret. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the environment once; command-line flags override through `overrides`. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Pick<Config, 'host' | 'port' | 'dataDir'>> = {}
): Config {
  const certFile = env.TLS_CERT_FILE
  const keyFile = env.TLS_KEY_FILE
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together')
  }
  return {
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port: overrides.port ?? integer(env, 'PORT', 8080, 0, 65535),
    dataDir: resolve(overrides.dataDir ?? env.REDIS_SESSIONS_DATA_DIR ?? 'data'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    masterKey: nonEmpty(env.REDIS_SESSIONS_MASTER_KEY),
    admin: {
      accessKeyId: nonEmpty(env.REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID),
      accessKeySecret: nonEmpty(env.REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET),
      password: nonEmpty(env.REDIS_SESSIONS_ADMIN_PASSWORD),
    },
    historyIntervalSeconds: integer(env, 'REDIS_SESSIONS_HISTORY_INTERVAL_S', 60, 0, 86_400),
    historyRetentionHours: integer(env, 'REDIS_SESSIONS_HISTORY_RETENTION_H', 168, 1, 87_600),
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    resultCacheMs: integer(env, 'REDIS_SESSIONS_RESULT_CACHE_MS', 1000, 0, 3_600_000),
    nodeTimeoutMs: integer(env, 'REDIS_SESSIONS_NODE_TIMEOUT_MS', 3000, 1, 600_000),
    idleThresholdSeconds: integer(env, 'REDIS_SESSIONS_IDLE_THRESHOLD_S', 3600, 0, 31_536_000),
    rateLimitPerSecond: integer(env, 'REDIS_SESSIONS_RATE_LIMIT', 50, 0, 1_000_000),
    metricsToken: nonEmpty(env.REDIS_SESSIONS_METRICS_TOKEN),
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number
): number {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return fallback
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}`)
  }
  return value
}
