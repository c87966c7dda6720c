import { ReplyParseError } from '../../errors.ts'
import type { RedisCommand } from '../redis-command.ts'
import { replyText } from '../reply.ts'

/** `INFO [section]` fields as `key → value` (e.g. `role → master`). Sections are case-insensitive. */
export type InfoFields = Readonly<Record<string, string>>

/**
 * `INFO [section]` (all versions). The reply is `# Section` headers and `key:value`
 * lines (CRLF); a value may contain `:` (`slave0:ip=…,port=…`), so split at the first
 * one. Sentinels answer `INFO replication` with `""` (no role line): callers check.
 */
export const INFO = {
  args: (section?: string) => (section === undefined ? ['INFO'] : ['INFO', section]),
  parse: (reply: unknown, node: string): InfoFields =>
    parseInfo(replyText(reply, node, 'INFO'), node),
} satisfies RedisCommand<[section?: string], InfoFields>

/** Parses `INFO` text; exported for the fixture tests. */
export function parseInfo(text: string, node: string): InfoFields {
  const entries: Array<[string, string]> = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '')
    if (line === '' || line.startsWith('#')) continue
    const colon = line.indexOf(':')
    if (colon <= 0) {
      throw new ReplyParseError(
        `${node}: INFO line ${i + 1} has no 'key:value'`,
        node,
        'INFO',
        i + 1,
        line
      )
    }
    entries.push([line.slice(0, colon), line.slice(colon + 1)])
  }
  // fromEntries defines own properties, so a key like `__proto__` cannot reach the prototype.
  return Object.fromEntries(entries)
}

/** One `slave<i>:ip=…,port=…,state=…` entry of a master's `INFO replication`. */
export interface InfoReplicaEntry {
  host: string
  port: number
  /** `online`, `wait_bgsave`, `send_bulk`, … */
  state: string | undefined
}

/**
 * The replicas a master lists in `INFO replication` (`slave0`, `slave1`, …). `ip` is the
 * replica's `replica-announce-ip` or peer ip, `port` its listening port (redis.md §8).
 */
export function infoReplicas(info: InfoFields, node: string): InfoReplicaEntry[] {
  const replicas: InfoReplicaEntry[] = []
  for (const [key, value] of Object.entries(info)) {
    if (!/^slave\d+$/.test(key)) continue
    const fields = new Map(
      value.split(',').map((pair): [string, string] => {
        const eq = pair.indexOf('=')
        return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]
      })
    )
    const host = fields.get('ip')
    const port = Number(fields.get('port'))
    if (host === undefined || host === '' || !Number.isInteger(port) || port <= 0) {
      throw new ReplyParseError(`${node}: INFO ${key} lacks ip/port`, node, 'INFO', 0, value)
    }
    replicas.push({ host, port, state: fields.get('state') })
  }
  return replicas
}
