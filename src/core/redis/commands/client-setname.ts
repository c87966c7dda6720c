import type { RedisCommand } from '../redis-command.ts'
import { replyText, wrongShape } from '../reply.ts'

/**
 * `CLIENT SETNAME <name>` (2.6.9+). Names may only hold bytes `!`..`~` (no spaces);
 * the reply is `OK`. The service names its own connections so that listings and
 * kills can leave them out (contract §2).
 */
export const CLIENT_SETNAME = {
  args: (name: string) => ['CLIENT', 'SETNAME', name],
  parse: (reply: unknown, node: string): void => {
    const text = replyText(reply, node, 'CLIENT SETNAME')
    if (text !== 'OK') throw wrongShape(text, 'OK', node, 'CLIENT SETNAME')
  },
} satisfies RedisCommand<[name: string], void>
