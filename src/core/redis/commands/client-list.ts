import type { ClientListTable } from '../../sessions/client-list-table.ts'
import { parseClientListTable } from '../../sessions/parse-client-list.ts'
import type { RedisCommand } from '../redis-command.ts'
import { wrongShape } from '../reply.ts'

/**
 * `CLIENT LIST` (all versions): one line per connection of this node (redis.md §1–§3).
 * Replies reach 13–16 MB at 50k clients: send it with `callBytes`, so the reply arrives
 * as the one Buffer the RESP parser assembled, and the table keeps those bytes (no
 * decoding into a string, no copy). We speak RESP2 (connection.ts): a plain bulk string.
 */
export const CLIENT_LIST = {
  args: () => ['CLIENT', 'LIST'],
  parse: (reply: unknown, node: string): ClientListTable => {
    if (typeof reply === 'string' || reply instanceof Uint8Array) {
      return parseClientListTable(reply, node)
    }
    throw wrongShape(reply, 'a text reply', node, 'CLIENT LIST')
  },
} satisfies RedisCommand<[], ClientListTable>
