import type { RedisCommand } from '../redis-command.ts'
import { replyArray, replyInteger, replyText, wrongShape } from '../reply.ts'

/** The master's address as a sentinel knows it. */
export interface SentinelMasterAddress {
  host: string
  port: number
}

const COMMAND = 'SENTINEL GET-MASTER-ADDR-BY-NAME'

/**
 * `SENTINEL GET-MASTER-ADDR-BY-NAME <name>` (2.8+). RESP2 (captured from 7.0.15):
 * `["127.0.0.1", "27200"]` (port as a string), or nil when the sentinel does not
 * monitor that name → `null`.
 */
export const SENTINEL_GET_MASTER_ADDR_BY_NAME = {
  args: (masterName: string) => ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName],
  parse: (reply: unknown, node: string): SentinelMasterAddress | null => {
    if (reply === null) return null
    const items = replyArray(reply, node, COMMAND)
    if (items.length !== 2) throw wrongShape(reply, '[ip, port]', node, COMMAND)
    return { host: replyText(items[0], node, COMMAND), port: replyInteger(items[1], node, COMMAND) }
  },
} satisfies RedisCommand<[masterName: string], SentinelMasterAddress | null>
