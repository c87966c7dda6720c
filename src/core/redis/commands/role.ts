import type { RedisCommand } from '../redis-command.ts'
import { replyArray, replyInteger, replyText, wrongShape } from '../reply.ts'

/** What `ROLE` says about a node. */
export type RoleReply =
  | {
      role: 'master'
      /** Replication offset, bytes. */
      offset: number
      replicas: Array<{ host: string; port: number; offset: number }>
    }
  | {
      role: 'replica'
      masterHost: string
      masterPort: number
      /** `connect`, `connecting`, `sync`, `connected`, or `handshake`. */
      state: string
      offset: number
    }
  | { role: 'sentinel'; masterNames: string[] }

/**
 * `ROLE` (2.8.12+). RESP2 replies (captured from 7.0.15):
 * `["master", 42, [["127.0.0.1", "27104", "42"]]]` (ports and offsets of replicas are strings),
 * `["slave", "127.0.0.1", 27100, "connected", 42]`, `["sentinel", ["mymaster"]]`.
 */
export const ROLE = {
  args: () => ['ROLE'],
  parse: (reply: unknown, node: string): RoleReply => {
    const items = replyArray(reply, node, 'ROLE')
    const role = replyText(items[0], node, 'ROLE')
    switch (role) {
      case 'master':
        return {
          role,
          offset: replyInteger(items[1], node, 'ROLE'),
          replicas: replyArray(items[2], node, 'ROLE').map((entry) => {
            const [host, port, offset] = replyArray(entry, node, 'ROLE')
            return {
              host: replyText(host, node, 'ROLE'),
              port: replyInteger(port, node, 'ROLE'),
              offset: replyInteger(offset, node, 'ROLE'),
            }
          }),
        }
      case 'slave':
        return {
          role: 'replica',
          masterHost: replyText(items[1], node, 'ROLE'),
          masterPort: replyInteger(items[2], node, 'ROLE'),
          state: replyText(items[3], node, 'ROLE'),
          offset: replyInteger(items[4], node, 'ROLE'),
        }
      case 'sentinel':
        return {
          role,
          masterNames: replyArray(items[1], node, 'ROLE').map((n) => replyText(n, node, 'ROLE')),
        }
      default:
        throw wrongShape(role, 'master, slave or sentinel', node, 'ROLE')
    }
  },
} satisfies RedisCommand<[], RoleReply>
