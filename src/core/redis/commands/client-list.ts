import type { ClientSession } from '../../sessions/client-session.ts'
import { parseClientList } from '../../sessions/parse-client-list.ts'
import type { RedisCommand } from '../redis-command.ts'
import { replyText } from '../reply.ts'

/**
 * `CLIENT LIST` (all versions): one line per connection of this node (redis.md §1–§3).
 * Replies reach 13–16 MB at 50k clients; the connection hands over the one decoded
 * string, which is parsed in place, never copied. Send it with `callText` (RESP3
 * would make it a verbatim `txt:` string; we speak RESP2, see connection.ts).
 */
export const CLIENT_LIST = {
  args: () => ['CLIENT', 'LIST'],
  parse: (reply: unknown, node: string): ClientSession[] =>
    parseClientList(replyText(reply, node, 'CLIENT LIST'), node),
} satisfies RedisCommand<[], ClientSession[]>
