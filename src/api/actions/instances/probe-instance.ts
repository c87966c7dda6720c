import { CoreError } from '../../../core/errors.ts'
import type { ConnectionOptions } from '../../../core/redis/connection-options.ts'
import { discoverTopology } from '../../../core/topology/discover-topology.ts'
import { trySeeds, withConnection } from '../../../core/topology/seeds.ts'
import type { RedisNode, TopologyKind } from '../../../core/topology/topology.ts'
import { deploymentOfInstance } from '../../../service/deployment-of-instance.ts'
import { ApiError } from '../../errors/api-error.ts'
import { checked, type InstanceDraft } from './instance-draft.ts'

/** Connect and command timeouts of the probe's connections. */
export type ProbeTimeouts = Pick<ConnectionOptions, 'connectTimeoutMs' | 'commandTimeoutMs'>

/** What the probe learned: the settled topology and every node, sorted by NodeId. */
export interface ProbeResult {
  topology: TopologyKind
  nodes: RedisNode[]
}

/**
 * Checks that the deployment `draft` describes answers, as GetRedisAllSession will reach
 * it (same spec through `deploymentOfInstance`, same discovery): `auto` becomes standalone
 * or cluster. A `nodes` topology is not discovered, so at least one listed node must
 * accept a connection (and AUTH). Any failure is `InstanceConnectionFailed` (503) whose
 * Detail is the core's message: it names nodes and causes, never credentials.
 */
export async function probeInstance(
  draft: InstanceDraft,
  timeouts: ProbeTimeouts
): Promise<ProbeResult> {
  const spec = {
    ...deploymentOfInstance(
      {
        ...draft,
        topology: draft.topology === 'auto' ? 'standalone' : draft.topology,
        hasPassword: draft.password !== undefined,
        createdAt: 0,
        updatedAt: 0,
      },
      draft.password,
      timeouts
    ),
    kind: draft.topology,
  }
  try {
    const topology = await discoverTopology(spec)
    if (topology.kind === 'nodes') {
      await trySeeds(spec.endpoints, 'probe', (seed) =>
        withConnection(seed, spec.connection, () => Promise.resolve())
      )
    }
    // A detected topology must obey the same rules as a given one (sockets ⇒ standalone).
    checked({ ...draft, topology: topology.kind })
    return { topology: topology.kind, nodes: topology.nodes }
  } catch (error) {
    if (error instanceof CoreError) {
      throw new ApiError('InstanceConnectionFailed', {
        detail: error.message.replace(/\s+/g, ' '),
        cause: error,
      })
    }
    throw error
  }
}

/**
 * The probe's timeouts from the configured `REDIS_SESSIONS_NODE_TIMEOUT_MS`, ms: the API passes
 * `Services.nodeTimeoutMs`, the CLI its loaded config's value — the same as listings use.
 */
export function nodeTimeouts(timeoutMs: number): ProbeTimeouts {
  return { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs }
}
