/** A GetRedisAllSession `Data` with `count` plausible sessions (deterministic), for measure.ts. */

const APPS = [
  'web',
  'api',
  'worker',
  'cron',
  'billing',
  'search',
  'auth',
  'report',
  'cache-warmer',
  'sidekiq',
]
const CMDS = [
  'get',
  'set',
  'ping',
  'blpop',
  'hgetall',
  'subscribe',
  'evalsha',
  'mget',
  'xreadgroup',
  'exec',
]
const LIBS = ['redis-py', 'ioredis', 'jedis', 'go-redis', 'lettuce', '']

/** Data of a 4-shard cluster, sessions spread over 200 sources and 10 applications. */
export function syntheticSessions(count: number): Record<string, unknown> {
  const nodes = [0, 1, 2, 3].map((shard) => `r-synthetic-db-${shard}#6379`)
  const sessions = []
  for (let index = 0; index < count; index++) {
    const app = APPS[index % APPS.length] ?? 'app'
    const source = `10.${(index >> 16) & 255}.${(index % 200) >> 4}.${(index % 200) + 10}`
    const idle = (index * 7919) % 3600
    sessions.push({
      Sub: 0,
      Psub: 0,
      Idle: idle < 600 ? 0 : idle,
      Flags: index % 97 === 0 ? 'P' : 'N',
      Oll: 0,
      QbufFree: (index * 31) % 40_000,
      Multi: -1,
      Omem: (index % 13) * 1024,
      Qbuf: 0,
      Name: `${app}-${index % 50}`,
      Obl: 0,
      Client: source,
      Cmd: CMDS[index % CMDS.length] ?? 'ping',
      Id: 1000 + index,
      Addr: `${source}:${20_000 + (index % 40_000)}`,
      NodeId: nodes[index % nodes.length] ?? '',
      Age: String(3600 + ((index * 104_729) % 86_400)),
      Db: index % 4,
      Events: 'r',
      Fd: 20 + (index % 60_000),
      ClientDesc: index % 200 < 20 ? `rack ${index % 5}` : '',
      User: index % 5 === 0 ? 'reporting' : 'default',
      LibName: LIBS[index % LIBS.length] ?? '',
      TotMem: 20_000 + ((index * 13) % 50_000),
    })
  }
  return {
    Timestamp: Date.now(),
    Total: count,
    Sessions: sessions,
    SourceStats: [],
    Nodes: nodes.map((NodeId, shard) => ({
      NodeId,
      Address: `10.0.9.${shard}:6379`,
      Role: 'master',
      Shard: shard,
      Status: 'ok',
      Total: count / nodes.length,
      LatencyMs: 12,
    })),
    Complete: true,
  }
}
