import type { ConnectionOptions } from '../core/redis/connection-options.ts'
import { parseEndpoint } from '../core/redis/node-address.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import type { Instance } from '../store/store.ts'

/** Turns a registered instance (and its decrypted password) into what the core discovers. */
export function deploymentOfInstance(
  instance: Instance,
  password: string | undefined,
  timeouts: Pick<ConnectionOptions, 'connectTimeoutMs' | 'commandTimeoutMs'>
): DeploymentSpec {
  const tls = instance.tls.enabled
    ? {
        ca: instance.tls.ca,
        servername: instance.tls.servername,
        rejectUnauthorized: !instance.tls.skipVerify,
      }
    : undefined
  return {
    instanceId: instance.instanceId,
    kind: instance.topology,
    endpoints: instance.endpoints.map((endpoint) => parseEndpoint(endpoint)),
    sentinelMasterName: instance.sentinelMasterName,
    connection: { ...timeouts, username: instance.username, password, tls },
  }
}
