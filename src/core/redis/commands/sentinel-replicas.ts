import type { RedisCommand } from '../redis-command.ts'
import { optionalText, replyArray, replyFieldMap, replyInteger, requiredText } from '../reply.ts'

/** One replica as a sentinel reports it. */
export interface SentinelReplica {
  /** `ip:port` */
  name: string
  ip: string
  port: number
  /** `slave`, plus `s_down`, `o_down`, `disconnected`, … as the sentinel sees it. */
  flags: ReadonlySet<string>
  /** `ok` or `err`. */
  masterLinkStatus: string | undefined
}

const COMMAND = 'SENTINEL REPLICAS'

/**
 * `SENTINEL REPLICAS <name>` (5.0+; `SLAVES` before, still an alias). RESP2 flat
 * field/value arrays, every value a string (captured from 7.0.15):
 * `[["name", "127.0.0.1:27202", "ip", "127.0.0.1", "port", "27202", "runid", "…",
 * "flags", "s_down,slave,disconnected", …, "master-link-status", "ok", …], …]`.
 * An unknown master name is `-ERR No such master with that name`.
 */
export const SENTINEL_REPLICAS = {
  args: (masterName: string, legacyName = false) => [
    'SENTINEL',
    legacyName ? 'SLAVES' : 'REPLICAS',
    masterName,
  ],
  parse: (reply: unknown, node: string): SentinelReplica[] =>
    replyArray(reply, node, COMMAND).map((entry) => {
      const fields = replyFieldMap(entry, node, COMMAND)
      const port = fields.get('port')
      return {
        name: requiredText(fields, 'name', node, COMMAND),
        ip: requiredText(fields, 'ip', node, COMMAND),
        port: replyInteger(port, node, COMMAND),
        flags: new Set(requiredText(fields, 'flags', node, COMMAND).split(',')),
        masterLinkStatus: optionalText(fields, 'master-link-status', node, COMMAND),
      }
    }),
} satisfies RedisCommand<[masterName: string, legacyName?: boolean], SentinelReplica[]>
