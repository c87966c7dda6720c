/**
 * One command we send (docs/style.md §2): how to build its arguments and how to turn
 * its reply into a typed value. `parse` throws `ReplyParseError` on a reply that does
 * not have the documented shape; `node` (`host:port`) goes into that error.
 *
 * Arguments start with the command's canonical name (`CLIENT`, `CLUSTER`); the
 * connection substitutes a renamed `CLIENT` (connection.ts), so commands stay canonical.
 */
export interface RedisCommand<Args extends readonly unknown[], Reply> {
  args: (...args: Args) => string[]
  parse: (reply: unknown, node: string) => Reply
}
