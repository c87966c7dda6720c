import type { RedisCommand } from '../redis-command.ts'
import { replyInteger } from '../reply.ts'

/**
 * `CLIENT KILL ID <id>` (2.8.12+, new form): closes the connection with that id on
 * this node and replies the number closed (0 when it was already gone). `SKIPME`
 * defaults to `yes`, so the asking connection never kills itself.
 */
export const CLIENT_KILL = {
  args: (id: number) => ['CLIENT', 'KILL', 'ID', String(id)],
  parse: (reply: unknown, node: string): number => replyInteger(reply, node, 'CLIENT KILL'),
} satisfies RedisCommand<[id: number], number>
