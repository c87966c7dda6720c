import { TopologyDiscoveryError } from '../errors.ts'
import { INFO } from '../redis/commands/info.ts'
import { assignNodeIds, assignProxyIds } from './assign-node-ids.ts'
import { discoverCluster } from './discover-cluster.ts'
import { discoverSentinel } from './discover-sentinel.ts'
import { discoverStandalone } from './discover-standalone.ts'
import { trySeeds, withConnection } from './seeds.ts'
import type { DeploymentSpec, Topology, TopologyKind } from './topology.ts'

/**
 * Learns every node of a deployment (contract §2) and gives each its NodeId; the nodes
 * come sorted by NodeId (`compareNodeIds`). `kind`:
 * - `standalone`: the seed's master and all its replicas (discover-standalone.ts);
 * - `cluster`: every master and replica (discover-cluster.ts);
 * - `sentinel`: the named master and its replicas, asked of the sentinels (discover-sentinel.ts);
 * - `nodes`: the endpoints as given, as proxies, without connecting;
 * - `auto`: `cluster` when the first answering seed says `cluster_enabled:1`, else `standalone`.
 * The address map is applied to every discovered address (not to the seeds). Connections
 * are short, closed whatever happens, and bounded by the spec's connect and command
 * timeouts. Throws TopologyDiscoveryError naming each seed's cause (never a secret).
 */
export async function discoverTopology(spec: DeploymentSpec): Promise<Topology> {
  if (spec.endpoints.length === 0) {
    throw new TopologyDiscoveryError(`${spec.instanceId}: no endpoints to discover from`)
  }
  const kind = spec.kind === 'auto' ? await detectKind(spec) : spec.kind
  switch (kind) {
    case 'nodes':
      return { kind, nodes: assignProxyIds(spec.instanceId, spec.endpoints) }
    case 'standalone':
      return { kind, nodes: assignNodeIds(spec.instanceId, await discoverStandalone(spec)) }
    case 'cluster':
      return { kind, nodes: assignNodeIds(spec.instanceId, await discoverCluster(spec)) }
    case 'sentinel':
      return { kind, nodes: assignNodeIds(spec.instanceId, await discoverSentinel(spec)) }
  }
}

/** `INFO cluster` (all versions): `cluster_enabled:1` on cluster nodes. */
async function detectKind(spec: DeploymentSpec): Promise<TopologyKind> {
  return await trySeeds(spec.endpoints, 'topology detection', (seed) =>
    withConnection(seed, spec.connection, async (connection) => {
      const info = INFO.parse(await connection.call(INFO.args('cluster')), connection.node)
      return info['cluster_enabled'] === '1' ? 'cluster' : 'standalone'
    })
  )
}
