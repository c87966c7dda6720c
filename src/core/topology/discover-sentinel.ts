import { CoreError, RedisReplyError, TopologyDiscoveryError } from '../errors.ts'
import { SENTINEL_GET_MASTER_ADDR_BY_NAME } from '../redis/commands/sentinel-get-master-addr-by-name.ts'
import { SENTINEL_REPLICAS, type SentinelReplica } from '../redis/commands/sentinel-replicas.ts'
import type { ConnectionOptions } from '../redis/connection-options.ts'
import type { NodeConnection } from '../redis/connection.ts'
import { applyAddressMap, type NodeAddress } from '../redis/node-address.ts'
import type { DiscoveredNode, DiscoveredShard } from './discovered-shard.ts'
import { trySeeds, withConnection } from './seeds.ts'
import type { DeploymentSpec } from './topology.ts'

// Flags a sentinel puts on a replica it cannot use (redis.md §8).
const DOWN_FLAGS = ['s_down', 'o_down', 'disconnected']

/**
 * The master a sentinel names for `sentinelMasterName` (`SENTINEL GET-MASTER-ADDR-BY-NAME`)
 * and its replicas (`SENTINEL REPLICAS`, `SLAVES` before 5.0). Sentinels are asked in turn
 * until one knows the master. Replicas flagged `s_down`, `o_down` or `disconnected` are
 * listed with a `skipReason`. Sentinels are reached with the deployment's credentials and
 * TLS, but without a renamed CLIENT (that applies to data nodes); a sentinel that refuses
 * those credentials is tried once more without them, because sentinels often have none.
 */
export async function discoverSentinel(spec: DeploymentSpec): Promise<DiscoveredShard[]> {
  const name = spec.sentinelMasterName
  if (name === undefined || name === '') {
    throw new TopologyDiscoveryError('sentinel discovery: no master name given')
  }
  const { clientCommand: _dataNodesOnly, ...options } = spec.connection
  return await trySeeds(spec.endpoints, `sentinel discovery of '${name}'`, async (sentinel) => {
    try {
      return await askSentinel(sentinel, options, name, spec)
    } catch (error) {
      if (!(error instanceof CoreError && error.code === 'AuthFailed')) throw error
      const { username: _u, password: _p, ...anonymous } = options
      return await askSentinel(sentinel, anonymous, name, spec).catch(() => Promise.reject(error))
    }
  })
}

async function askSentinel(
  sentinel: NodeAddress,
  options: ConnectionOptions,
  name: string,
  spec: DeploymentSpec
): Promise<DiscoveredShard[]> {
  return await withConnection(sentinel, options, async (connection) => {
    const reply = await connection.call(SENTINEL_GET_MASTER_ADDR_BY_NAME.args(name))
    const master = SENTINEL_GET_MASTER_ADDR_BY_NAME.parse(reply, connection.node)
    if (master === null) {
      const message = `${connection.node}: the sentinel monitors no master named '${name}'`
      throw new TopologyDiscoveryError(message, { node: connection.node })
    }
    const announced: NodeAddress = { kind: 'tcp', host: master.host, port: master.port }
    const nodes: DiscoveredNode[] = [
      { announced, address: applyAddressMap(announced, spec.addressMap), role: 'master' },
      ...(await readReplicas(connection, name)).map((replica) => fromReplica(replica, spec)),
    ]
    return [{ lowestSlot: undefined, nodes }]
  })
}

async function readReplicas(connection: NodeConnection, name: string): Promise<SentinelReplica[]> {
  try {
    return SENTINEL_REPLICAS.parse(
      await connection.call(SENTINEL_REPLICAS.args(name)),
      connection.node
    )
  } catch (error) {
    if (!(error instanceof RedisReplyError && error.code === 'CommandDisabled')) throw error
    // Sentinels before 5.0 know only SLAVES.
    const legacy = await connection.call(SENTINEL_REPLICAS.args(name, true))
    return SENTINEL_REPLICAS.parse(legacy, connection.node)
  }
}

function fromReplica(replica: SentinelReplica, spec: DeploymentSpec): DiscoveredNode {
  const announced: NodeAddress = { kind: 'tcp', host: replica.ip, port: replica.port }
  const down = DOWN_FLAGS.filter((flag) => replica.flags.has(flag))
  return {
    announced,
    address: applyAddressMap(announced, spec.addressMap),
    role: 'replica',
    ...(down.length === 0
      ? {}
      : { skipReason: `the sentinel reports the replica as ${down.join(', ')}` }),
  }
}
