import { CollectTimeoutError, CoreError, NodeUnavailableError } from '../errors.ts'
import { openConnection, type NodeConnection } from '../redis/connection.ts'
import type { ConnectionOptions } from '../redis/connection-options.ts'
import { formatAddress } from '../redis/node-address.ts'
import { ownAddressesOn } from '../redis/own-connections.ts'
import { CLIENT_LIST } from '../redis/commands/client-list.ts'
import type { ClientListTable } from '../sessions/client-list-table.ts'
import { F_ADDR, F_NAME } from '../sessions/client-list-keys.ts'
import { OWN_CONNECTION_NAME } from '../sessions/client-session.ts'
import type { RedisNode } from '../topology/topology.ts'
import { tableOutcome, type NodeOutcome } from './node-outcome.ts'
import { mapBounded } from './map-bounded.ts'

/** At most this many nodes are asked at once: CLIENT LIST replies can be megabytes each. */
export const DEFAULT_COLLECT_CONCURRENCY = 16
/** The whole collection ends after this long at the least (ms); see {@link collectDeadlineMs}. */
export const DEFAULT_COLLECT_DEADLINE_MS = 10_000
/** Room past one node's own budget, so that its timeout, not the deadline, reports it (ms). */
export const COLLECT_DEADLINE_MARGIN_MS = 1000

export interface CollectOptions {
  connection: ConnectionOptions
  /** Nodes asked in parallel; default {@link DEFAULT_COLLECT_CONCURRENCY}. */
  concurrency?: number | undefined
  /** Overall deadline for every node, ms; default {@link collectDeadlineMs}. */
  deadlineMs?: number | undefined
}

/**
 * The default overall deadline: 10 s, or longer when one node may need longer — connect and
 * authenticate (`connectTimeoutMs`) then CLIENT LIST (`commandTimeoutMs`) plus a margin — so a
 * per-node timeout above 10 s is honoured, never silently capped.
 */
export function collectDeadlineMs(connection: ConnectionOptions): number {
  const oneNode = connection.connectTimeoutMs + connection.commandTimeoutMs
  return Math.max(DEFAULT_COLLECT_DEADLINE_MS, oneNode + COLLECT_DEADLINE_MARGIN_MS)
}

/**
 * Asks every node for `CLIENT LIST` exactly once, in parallel with a concurrency
 * bound, and returns one outcome per node in the order given. Never throws for a
 * node: a bad node becomes `{ ok: false }` and the others carry on (docs/style.md §5).
 * The service's own connections (named `redis-sessions`) are left out.
 */
export async function collectSessions(
  nodes: readonly RedisNode[],
  options: CollectOptions
): Promise<NodeOutcome[]> {
  const deadline = Date.now() + (options.deadlineMs ?? collectDeadlineMs(options.connection))
  return mapBounded(nodes, options.concurrency ?? DEFAULT_COLLECT_CONCURRENCY, (node) =>
    collectNode(node, options.connection, deadline)
  )
}

async function collectNode(
  node: RedisNode,
  connection: ConnectionOptions,
  deadline: number
): Promise<NodeOutcome> {
  const started = performance.now()
  const address = formatAddress(node.address)
  if (node.skipReason !== undefined) {
    const error = new NodeUnavailableError(`${address}: ${node.skipReason}`, address)
    return { ok: false, node, error, tookMs: 0 }
  }
  const remainingMs = deadline - Date.now()
  const late = () =>
    new CollectTimeoutError(`${address}: no answer before the collection deadline`, address)
  if (remainingMs <= 0) return { ok: false, node, error: late(), tookMs: 0 }
  let open: NodeConnection | undefined
  // Set once this node's outcome is decided: a connection that opens afterwards is closed at once.
  let settled = false
  let timer: NodeJS.Timeout | undefined
  // At the deadline a connection still opening is abandoned too (its socket destroyed), not
  // left to run into its own connect timeout with the process held open.
  const abandon = new AbortController()
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = late()
      abandon.abort(error)
      open?.close()
      reject(error)
    }, remainingMs)
  })
  const work = (async () => {
    const opened = await openConnection(node.address, connection, abandon.signal)
    if (settled) {
      opened.close()
      throw late()
    }
    open = opened
    return CLIENT_LIST.parse(await opened.callBytes(CLIENT_LIST.args()), opened.node)
  })()
  // If the deadline wins the race, `work` still settles later: its rejection is expected.
  work.catch(() => undefined)
  try {
    const table = withoutOwnConnections(await Promise.race([work, expired]), address).sortedById()
    return tableOutcome(node, table, performance.now() - started)
  } catch (cause) {
    const error =
      cause instanceof CoreError
        ? cause
        : new CoreError('ConnectFailed', `${address}: ${describe(cause)}`, address, { cause })
    return { ok: false, node, error, tookMs: performance.now() - started }
  } finally {
    settled = true
    clearTimeout(timer)
    open?.close()
  }
}

/**
 * Leaves out the service's connections: named `redis-sessions`, or — still in their handshake,
 * unnamed — at the address of one of this process's open connections to the node. The set is
 * read after the reply arrived, so it holds every connection the reply could show.
 */
function withoutOwnConnections(table: ClientListTable, node: string): ClientListTable {
  const own = [...ownAddressesOn(node)]
  return table.select(
    (i) =>
      !table.stringEquals(i, F_NAME, OWN_CONNECTION_NAME) &&
      !own.some((addr) => table.stringEquals(i, F_ADDR, addr))
  )
}

function describe(cause: unknown): string {
  return cause instanceof Error ? (cause.message.split('\n', 1)[0] ?? cause.name) : 'unknown error'
}
