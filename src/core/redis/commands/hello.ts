import type { RedisCommand } from '../redis-command.ts'
import { replyFieldMap } from '../reply.ts'

/** Credentials HELLO carries; `username` absent = `default` (what `requirepass` sets). */
export interface HelloAuth {
  username: string | undefined
  password: string
}

/**
 * `HELLO 2 [AUTH <user> <password>] SETNAME <name>` (6.0+): authenticates and names the
 * connection in one round trip, so it is an unnamed session for as short a time as possible,
 * and stays RESP2. The reply is the server's field/value array (`server`, `version`, `proto`,
 * `id`, …); only its shape is checked. Like AUTH, the arguments hold the password: never logged.
 * Older servers answer "unknown command" (connection.ts then falls back to AUTH + SETNAME).
 */
export const HELLO = {
  args: (name: string, auth?: HelloAuth) => [
    'HELLO',
    '2',
    ...(auth === undefined ? [] : ['AUTH', auth.username ?? 'default', auth.password]),
    'SETNAME',
    name,
  ],
  parse: (reply: unknown, node: string): void => {
    replyFieldMap(reply, node, 'HELLO')
  },
} satisfies RedisCommand<[name: string, auth?: HelloAuth], void>
