import { CoreError, TopologyDiscoveryError } from '../errors.ts'
import type { ConnectionOptions } from '../redis/connection-options.ts'
import { openConnection, type NodeConnection } from '../redis/connection.ts'
import { formatAddress, type NodeAddress } from '../redis/node-address.ts'

/** Opens a connection, runs `work` on it and always closes it. */
export async function withConnection<T>(
  address: NodeAddress,
  options: ConnectionOptions,
  work: (connection: NodeConnection) => Promise<T>
): Promise<T> {
  const connection = await openConnection(address, options)
  try {
    return await work(connection)
  } finally {
    connection.close()
  }
}

/**
 * Tries `attempt` on each seed in turn and returns the first success. When every seed
 * fails: a TopologyDiscoveryError whose one-line message names each seed's cause
 * (`what: 127.0.0.1:7000: connection refused (ECONNREFUSED); …`); `cause` is the only
 * failure, or an AggregateError of all of them.
 */
export async function trySeeds<T>(
  seeds: readonly NodeAddress[],
  what: string,
  attempt: (seed: NodeAddress) => Promise<T>
): Promise<T> {
  if (seeds.length === 0) throw new TopologyDiscoveryError(`${what}: no endpoints given`)
  const failures: CoreError[] = []
  for (const seed of seeds) {
    try {
      return await attempt(seed)
    } catch (error) {
      failures.push(asCoreError(error, formatAddress(seed)))
    }
  }
  const [only] = failures
  const causes = failures.map((f) => f.message.replace(/\s+/g, ' ')).join('; ')
  throw new TopologyDiscoveryError(`${what}: ${causes}`, {
    cause: failures.length === 1 ? only : new AggregateError(failures, causes),
    ...(failures.length === 1 && only?.node !== undefined ? { node: only.node } : {}),
  })
}

function asCoreError(error: unknown, node: string): CoreError {
  if (error instanceof CoreError) return error
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error)
  return new CoreError('TopologyDiscoveryFailed', `${node}: ${message ?? 'unknown error'}`, node, {
    cause: error,
  })
}
