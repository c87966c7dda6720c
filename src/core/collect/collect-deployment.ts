import { discoverTopology } from '../topology/discover-topology.ts'
import type { DeploymentSpec } from '../topology/topology.ts'
import { collectSessions, type CollectOptions } from './collect-sessions.ts'
import type { SessionsSnapshot } from './sessions-snapshot.ts'

/**
 * Discovers the deployment's nodes, then lists every node's sessions once.
 * Throws only when the topology cannot be learned (`TopologyDiscoveryError`);
 * per-node failures are outcomes in the snapshot.
 */
export async function collectDeployment(
  spec: DeploymentSpec,
  options: Omit<CollectOptions, 'connection'> = {}
): Promise<SessionsSnapshot> {
  const topology = await discoverTopology(spec)
  const outcomes = await collectSessions(topology.nodes, {
    ...options,
    connection: spec.connection,
  })
  return { timestamp: Date.now(), topology, outcomes }
}
