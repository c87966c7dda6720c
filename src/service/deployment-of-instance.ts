import type { ConnectionOptions } from '../core/redis/connection-options.ts'
import { parseEndpoint } from '../core/redis/node-address.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import type { Instance, Store } from '../store/store.ts'

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
    // Keys as the API normalised them (`formatAddress`), which is how discovery looks them up.
    addressMap:
      instance.addressMap === undefined
        ? undefined
        : new Map(instance.addressMap.map(({ from, to }) => [from, to])),
  }
}

/**
 * Instance id → its deployment with the password decrypted, read from the store on every call
 * (so a change made through any replica applies at once); undefined when not registered.
 * `timeoutMs` is the per-node connect and command timeout.
 */
export function createDeploymentResolver(
  store: Pick<Store, 'instances'>,
  timeoutMs: number
): (instanceId: string) => Promise<DeploymentSpec | undefined> {
  const timeouts = { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs }
  return async (instanceId) => {
    const instance = await store.instances.get(instanceId)
    if (instance === undefined) return undefined
    const password = await store.instances.getConnectionSecret(instanceId)
    return deploymentOfInstance(instance, password, timeouts)
  }
}
