import type { RedisCommand } from '../redis-command.ts'
import { replyText, wrongShape } from '../reply.ts'

/**
 * `AUTH [username] password`: the two-argument (ACL user) form needs 6.0+; 5.0 answers
 * it with "wrong number of arguments". The arguments hold the password: they are never
 * logged nor put into an error (connection.ts strips them from causes).
 */
export const AUTH = {
  args: (password: string, username?: string) =>
    username === undefined ? ['AUTH', password] : ['AUTH', username, password],
  parse: (reply: unknown, node: string): void => {
    const text = replyText(reply, node, 'AUTH')
    if (text !== 'OK') throw wrongShape(text, 'OK', node, 'AUTH')
  },
} satisfies RedisCommand<[password: string, username?: string], void>
