import type { CoreError } from '../errors.ts'
import type { ClientListTable } from '../sessions/client-list-table.ts'
import type { ClientSession } from '../sessions/client-session.ts'
import type { RedisNode } from '../topology/topology.ts'

/**
 * The result of asking one node: its sessions, or why not (docs/style.md §5).
 *
 * A collected outcome also carries `table`, the same sessions in reply form, row `i` =
 * `sessions[i]`; then `sessions` is built from it on first read. Hot consumers (the DAS
 * presenter, the metrics) read the table and never build the objects. Outcomes made from
 * objects (a filtered snapshot, the CLI's remote mode) have no table.
 */
export type NodeOutcome =
  | {
      ok: true
      node: RedisNode
      readonly sessions: ClientSession[]
      table?: ClientListTable | undefined
      tookMs: number
    }
  | { ok: false; node: RedisNode; error: CoreError; tookMs: number }

/** The outcome of a node that answered with `table`; `sessions` is built when first read. */
export function tableOutcome(node: RedisNode, table: ClientListTable, tookMs: number): NodeOutcome {
  return {
    ok: true,
    node,
    table,
    tookMs,
    get sessions() {
      return table.sessions()
    },
  }
}

/** Number of sessions of an outcome that answered, without building them. */
export function sessionCount(outcome: NodeOutcome & { ok: true }): number {
  return outcome.table?.length ?? outcome.sessions.length
}
