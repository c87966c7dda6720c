import type { RedisServerHandle } from './redis-launch.ts'

/** One replica as a sentinel sees it (`SENTINEL REPLICAS`). */
export interface SentinelReplica {
  ip: string
  port: number
  /** `slave`, plus `s_down`, `disconnected`… when unhealthy. */
  flags: string[]
  /** Flags are exactly `slave` and the link to its master is ok. */
  healthy: boolean
}

/** What one sentinel knows about a monitored master. */
export interface SentinelView {
  replicas: SentinelReplica[]
  /** Entries of `SENTINEL SENTINELS` (the other sentinels it discovered). */
  otherSentinels: number
}

/** Asks `sentinel` (via `redis-cli --json`) for `SENTINEL REPLICAS` and `SENTINEL SENTINELS` of `name`. */
export async function sentinelView(
  sentinel: RedisServerHandle,
  name: string
): Promise<SentinelView> {
  const replicas = parseMaps(
    JSON.parse(await sentinel.cliWith({ json: true }, 'SENTINEL', 'REPLICAS', name))
  )
  const others = parseMaps(
    JSON.parse(await sentinel.cliWith({ json: true }, 'SENTINEL', 'SENTINELS', name))
  )
  return {
    replicas: replicas.map((r) => {
      const flags = (r.get('flags') ?? '').split(',')
      return {
        ip: r.get('ip') ?? '',
        port: Number(r.get('port')),
        flags,
        healthy: flags.length === 1 && flags[0] === 'slave' && r.get('master-link-status') === 'ok',
      }
    }),
    otherSentinels: others.length,
  }
}

/** An array of string→string objects (RESP3 maps as redis-cli prints them) → Maps; throws otherwise. */
function parseMaps(json: unknown): Map<string, string>[] {
  if (!Array.isArray(json)) throw new Error('sentinel reply: expected an array')
  return json.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new Error('sentinel reply: expected a map')
    }
    const fields = new Map<string, string>()
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value === 'string') fields.set(key, value)
    }
    return fields
  })
}
