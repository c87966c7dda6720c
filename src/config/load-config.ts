import { resolve } from 'node:path'
import ipaddr from 'ipaddr.js'
import type { ApiRateLimits } from '../api/rate-limit/throttle-action.ts'

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
  /** `REDIS_SESSIONS_API_RATE_LIMIT`: requests/s per action over all callers; default none. */
  apiRateLimits: ApiRateLimits
  /** `REDIS_SESSIONS_REQUIRE_HTTPS`: a plain-HTTP request gets `InvalidProtocol.NeedSsl`. */
  requireHttps: boolean
  /** `REDIS_SESSIONS_METRICS_TOKEN`: bearer token of `GET /metrics`; absent = open. */
  metricsToken: string | undefined
  /**
   * `REDIS_SESSIONS_TRUST_PROXY`: the reverse proxies whose `X-Forwarded-For` and
   * `X-Forwarded-Proto` are believed (addresses, CIDR ranges, `loopback`, `linklocal`,
   * `uniquelocal`), as Fastify's `trustProxy` takes them; empty = none, the socket's peer is the
   * client (the default).
   */
  trustedProxies: readonly string[]
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
    apiRateLimits: apiRateLimits(env.REDIS_SESSIONS_API_RATE_LIMIT),
    requireHttps: boolean(env, 'REDIS_SESSIONS_REQUIRE_HTTPS', false),
    metricsToken: nonEmpty(env.REDIS_SESSIONS_METRICS_TOKEN),
    trustedProxies: trustedProxies(env.REDIS_SESSIONS_TRUST_PROXY),
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

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase()
  if (raw === undefined) return fallback
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigError(`${name} must be true or false`)
}

const ACTION_NAME = /^[A-Z][A-Za-z]{1,63}$/
const MAX_API_RATE = 1_000_000

/**
 * `REDIS_SESSIONS_API_RATE_LIMIT`: comma-separated `Action=rate` entries and at most one bare
 * `rate` for every other action; rates are requests per second (decimals allowed, `0.2` = one
 * per 5 s). Example: `20,KillInstanceAllSession=0.2`. Action names are checked against the
 * registry when the server starts (`startServer`).
 */
function apiRateLimits(raw: string | undefined): ApiRateLimits {
  const name = 'REDIS_SESSIONS_API_RATE_LIMIT'
  if (raw === undefined || raw.trim() === '') return { perAction: new Map() }
  let everyAction: number | undefined
  const perAction = new Map<string, number>()
  for (const part of raw.split(',')) {
    const entry = part.trim()
    const sides = entry.split('=')
    const [action, rateText] = sides.length === 1 ? [undefined, entry] : sides
    const wellFormed = sides.length <= 2 && /^\d+(\.\d+)?$/.test(rateText?.trim() ?? '')
    const rate = wellFormed ? Number(rateText) : Number.NaN
    if (!(rate > 0 && rate <= MAX_API_RATE)) {
      throw new ConfigError(
        `${name}: "${entry}" is not Action=rate or rate, with rate a number of requests per second above 0 and at most ${MAX_API_RATE}`
      )
    }
    if (action === undefined) {
      if (everyAction !== undefined) throw new ConfigError(`${name} gives two bare rates`)
      everyAction = rate
      continue
    }
    const actionName = action.trim()
    if (!ACTION_NAME.test(actionName)) {
      throw new ConfigError(`${name}: "${actionName}" is not an action name`)
    }
    if (perAction.has(actionName)) throw new ConfigError(`${name} names ${actionName} twice`)
    perAction.set(actionName, rate)
  }
  return { everyAction, perAction }
}

/** The address ranges proxy-addr knows by name (`loopback` = 127.0.0.0/8 and ::1, …). */
const PROXY_RANGE_NAMES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal'])
/** IPv4-mapped IPv6 (`::ffff:0:0/96`): proxy-addr matches IPv4 peers against such a range too. */
const IPV4_MAPPED = ipaddr.IPv6.parse('::ffff:0:0')
const IPV4_MAPPED_PREFIX_BITS = 96

/**
 * `REDIS_SESSIONS_TRUST_PROXY`, split on commas and checked entry by entry, so a typo stops the
 * start instead of reaching Fastify's `trustProxy` (proxy-addr would throw a bare TypeError, or
 * accept inet_aton forms such as `10.1` that nobody means). Anything that trusts every peer —
 * `true`, `*`, a hop count, a `/0` range — is refused: the client's own `X-Forwarded-For` would
 * then be its source IP, and `acs:SourceIp` conditions could be passed by writing one header.
 */
function trustedProxies(raw: string | undefined): readonly string[] {
  const name = 'REDIS_SESSIONS_TRUST_PROXY'
  if (raw === undefined || raw.trim() === '') return []
  const forgeable = 'any client could then forge its source IP past acs:SourceIp conditions'
  return raw.split(',').map((part) => {
    const entry = part.trim()
    if (entry === '') throw new ConfigError(`${name} has an empty entry in "${raw}"`)
    if (/^(true|\*)$/i.test(entry)) {
      throw new ConfigError(
        `${name}: "${entry}" would trust every peer; ${forgeable}. List the proxies' own addresses`
      )
    }
    if (/^\d+$/.test(entry)) {
      throw new ConfigError(
        `${name}: hop counts ("${entry}") are not accepted: a count trusts the nearest hops whoever they are, so ${forgeable}. List the proxies' own addresses`
      )
    }
    if (PROXY_RANGE_NAMES.has(entry)) return entry
    const range = proxyRange(entry)
    if (range === undefined) {
      throw new ConfigError(
        `${name}: "${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`
      )
    }
    if (coversEveryPeer(range)) {
      throw new ConfigError(`${name}: "${entry}" would trust every peer; ${forgeable}`)
    }
    return entry
  })
}

/** An address or CIDR range: IPv4 four-part decimal (not inet_aton's `10.1`) or IPv6. */
function proxyRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (!entry.includes('/')) {
    if (ipaddr.IPv4.isValidFourPartDecimal(entry)) return [ipaddr.IPv4.parse(entry), 32]
    return ipaddr.IPv6.isValid(entry) ? [ipaddr.IPv6.parse(entry), 128] : undefined
  }
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(entry)) return ipaddr.IPv4.parseCIDR(entry)
  return ipaddr.IPv6.isValidCIDR(entry) ? ipaddr.IPv6.parseCIDR(entry) : undefined
}

/** `0.0.0.0/0`, `::/0`, or an IPv6 range holding all of `::ffff:0:0/96` (every IPv4 peer). */
function coversEveryPeer([address, prefixLength]: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  if (prefixLength === 0) return true
  return (
    address instanceof ipaddr.IPv6 &&
    prefixLength <= IPV4_MAPPED_PREFIX_BITS &&
    IPV4_MAPPED.match(address, prefixLength)
  )
}
