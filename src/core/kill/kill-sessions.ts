import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import { mapBounded } from '../collect/map-bounded.ts'
import { CoreError } from '../errors.ts'
import { CLIENT_KILL } from '../redis/commands/client-kill.ts'
import { openConnection } from '../redis/connection.ts'
import type { ConnectionOptions } from '../redis/connection-options.ts'
import { formatAddress } from '../redis/node-address.ts'
import { ownAddressesOn } from '../redis/own-connections.ts'
import type { SessionPredicate } from '../filter/session-filter.ts'
import { protectionReason } from './protection.ts'

/** What happened to one session (contract §5 `KillRedisSessions`). */
export type KillResultKind = 'killed' | 'gone' | 'protected' | 'failed' | 'would-kill'

export interface KillResult {
  nodeId: string
  id: number
  addr: string
  name: string
  result: KillResultKind
  /** Why protected or failed. */
  reason?: string | undefined
}

export interface KillOptions {
  connection: ConnectionOptions
  /** List what would be killed, kill nothing. */
  dryRun: boolean
  /** Nodes worked on in parallel. */
  concurrency?: number | undefined
}

/**
 * Kills the snapshot's sessions that `select` keeps, with `CLIENT KILL ID` per
 * session (2.8.12+), one connection per node, the kills of a node pipelined.
 * Protected sessions are reported, never killed. This process's own connections are looked up
 * twice: at selection, and again once the kill connection is open, right before the kills, so a
 * connection of a concurrent call that opened after the listing is never mistaken for a victim.
 * Results in snapshot order.
 */
export async function killSessions(
  snapshot: SessionsSnapshot,
  select: SessionPredicate,
  options: KillOptions
): Promise<KillResult[]> {
  const perNode = await mapBounded(
    snapshot.outcomes,
    options.concurrency ?? 16,
    async (outcome) => {
      if (!outcome.ok) return []
      const nodeId = outcome.node.nodeId
      const node = formatAddress(outcome.node.address)
      const chosen = outcome.sessions.filter((session) => select(session, nodeId))
      const own = ownAddressesOn(node)
      const results: KillResult[] = chosen.map((session) => {
        const reason = protectionReason(session, own)
        const base = { nodeId, id: session.id, addr: session.addr, name: session.name }
        if (reason !== undefined) return { ...base, result: 'protected', reason }
        return { ...base, result: 'would-kill' }
      })
      let targets = results.filter((result) => result.result === 'would-kill')
      if (options.dryRun || targets.length === 0) return results
      try {
        const connection = await openConnection(outcome.node.address, options.connection)
        try {
          targets = withoutOwn(targets, ownAddressesOn(node))
          await Promise.all(
            targets.map(async (target) => {
              try {
                const killed = CLIENT_KILL.parse(
                  await connection.call(CLIENT_KILL.args(target.id, target.addr)),
                  connection.node
                )
                target.result = killed > 0 ? 'killed' : 'gone'
              } catch (error) {
                target.result = 'failed'
                target.reason = reasonOf(error)
              }
            })
          )
        } finally {
          connection.close()
        }
      } catch (error) {
        for (const target of targets) {
          target.result = 'failed'
          target.reason = reasonOf(error)
        }
      }
      return results
    }
  )
  return perNode.flat()
}

/** Marks the targets at one of `own` protected and returns the others. */
function withoutOwn(targets: KillResult[], own: ReadonlySet<string>): KillResult[] {
  return targets.filter((target) => {
    const reason = protectionReason({ flags: '', name: target.name, addr: target.addr }, own)
    if (reason === undefined) return true
    target.result = 'protected'
    target.reason = reason
    return false
  })
}

function reasonOf(error: unknown): string {
  if (error instanceof CoreError) return error.message
  return error instanceof Error ? (error.message.split('\n', 1)[0] ?? error.name) : 'unknown error'
}
