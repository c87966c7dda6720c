import { readFileSync } from 'node:fs'
import { addressMapParam } from '../api/actions/instances/address-map-param.ts'
import { ApiError } from '../api/errors/api-error.ts'
import type { AddressMap } from '../core/redis/node-address.ts'
import { parseRedisUrl } from '../core/redis/parse-redis-url.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import { CliError, readOptionFile } from './cli-error.ts'
import type { SessionsOptions } from './sessions-options.ts'
import { topologyOfFlags } from './command-flags.ts'

/** The instance name of a URL target's nodes: NodeIds read `cli-db-0#6379`. */
const URL_INSTANCE_ID = 'cli'

/** A URL target's deployment: its nodes get NodeIds of the instance name `cli` (`cli-db-0#6379`). */
export function deploymentFromUrl(
  target: string,
  options: SessionsOptions,
  timeoutMs: number
): DeploymentSpec {
  const url = parseRedisUrl(target)
  const tls =
    url.connection.tls === undefined
      ? undefined
      : {
          ...url.connection.tls,
          ...(options.tlsCa === undefined
            ? {}
            : { ca: readOptionFile('--tls-ca', options.tlsCa, (f) => readFileSync(f, 'utf8')) }),
          ...(options.tlsInsecure === true ? { rejectUnauthorized: false } : {}),
        }
  const kind = topologyOfFlags(options) ?? 'auto'
  return {
    instanceId: URL_INSTANCE_ID,
    kind,
    endpoints: url.endpoints,
    sentinelMasterName: options.sentinel,
    ...(options.addressMap === undefined
      ? {}
      : { addressMap: addressMapOption(options.addressMap) }),
    connection: {
      ...url.connection,
      tls,
      ...(options.clientCommand === undefined ? {} : { clientCommand: options.clientCommand }),
      connectTimeoutMs: timeoutMs,
      commandTimeoutMs: timeoutMs,
    },
  }
}

/** `--address-map`, read by the same rules as AddRedisInstance's `AddressMap`. */
function addressMapOption(value: string): AddressMap {
  try {
    const mappings = addressMapParam(new Map([['AddressMap', value]])) ?? []
    return new Map(mappings.map(({ from, to }) => [from, to]))
  } catch (error) {
    if (error instanceof ApiError)
      throw new CliError(`--address-map: ${error.detail ?? error.message}`)
    throw error
  }
}
