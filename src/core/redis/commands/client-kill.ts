import type { RedisCommand } from '../redis-command.ts'
import { replyInteger } from '../reply.ts'

/**
 * `CLIENT KILL ID <id> ADDR <addr>` (2.8.12+, new form, filters ANDed): closes the
 * connection with that id AND that peer address on this node and replies the number
 * closed (0 when it was already gone). The address guards against a restarted server
 * whose ids started again at 1: an id from an older listing cannot match a newer
 * connection from elsewhere. `SKIPME` defaults to `yes`, so the asking connection never
 * kills itself.
 */
export const CLIENT_KILL = {
  args: (id: number, addr: string) => ['CLIENT', 'KILL', 'ID', String(id), 'ADDR', addr],
  parse: (reply: unknown, node: string): number => replyInteger(reply, node, 'CLIENT KILL'),
} satisfies RedisCommand<[id: number, addr: string], number>
