import { CoreError } from '../../../core/errors.ts'
import { formatAddress, parseEndpoint } from '../../../core/redis/node-address.ts'
import type { TopologyKind } from '../../../core/topology/topology.ts'
import type { AddressMapping } from '../../../store/store.ts'
import { booleanParam, invalid, optionalString } from '../params.ts'
import { addressMapParam } from './address-map-param.ts'

/** Parameters of AddRedisInstance and ModifyRedisInstance besides `InstanceId` (contract §5). */
export const INSTANCE_FIELD_PARAMS = [
  'Topology',
  'Endpoints',
  'Username',
  'Password',
  'Tls',
  'TlsCa',
  'TlsServerName',
  'TlsSkipVerify',
  'SentinelMasterName',
  'AddressMap',
  'Description',
  'SkipCheck',
] as const

/** At most this many endpoints per instance (seeds; the rest is discovered). */
export const MAX_ENDPOINTS = 64
/** Longest `Description`, characters. */
export const MAX_DESCRIPTION = 256

const TOPOLOGIES: readonly TopologyKind[] = ['standalone', 'sentinel', 'cluster', 'nodes']

/**
 * The instance fields of a request. `undefined` = parameter absent (Add: default, Modify:
 * unchanged); `null` = given empty, which clears an optional field (`Password=""`).
 */
export interface InstanceFieldParams {
  topology: TopologyKind | undefined
  /** Normalised `host:port`, `[v6]:port` or socket path. */
  endpoints: string[] | undefined
  username: string | null | undefined
  password: string | null | undefined
  tls: boolean | undefined
  tlsCa: string | null | undefined
  tlsServerName: string | null | undefined
  tlsSkipVerify: boolean | undefined
  sentinelMasterName: string | null | undefined
  /** Announced → reachable addresses (`AddressMap`); `null` = none / clear. */
  addressMap: AddressMapping[] | null | undefined
  description: string | undefined
  /** `SkipCheck=true`: register without probing the deployment. */
  skipCheck: boolean
}

/** Reads and validates every field parameter; throws `InvalidParams` naming the bad one. */
export function parseInstanceFields(params: ReadonlyMap<string, string>): InstanceFieldParams {
  return {
    topology: topologyParam(params),
    endpoints: endpointsParam(params),
    username: clearable(params, 'Username', 256),
    password: clearable(params, 'Password', 4096),
    tls: optionalBoolean(params, 'Tls'),
    tlsCa: caParam(params),
    tlsServerName: clearable(params, 'TlsServerName', 255),
    tlsSkipVerify: optionalBoolean(params, 'TlsSkipVerify'),
    sentinelMasterName: clearable(params, 'SentinelMasterName', 256),
    addressMap: addressMapParam(params),
    description: optionalString(params, 'Description', MAX_DESCRIPTION),
    skipCheck: booleanParam(params, 'SkipCheck', false),
  }
}

function topologyParam(params: ReadonlyMap<string, string>): TopologyKind | undefined {
  const value = params.get('Topology')
  if (value === undefined || value === '') return undefined
  const found = TOPOLOGIES.find((kind) => kind === value.toLowerCase())
  if (found === undefined) invalid(`Topology must be one of ${TOPOLOGIES.join(', ')}`)
  return found
}

function endpointsParam(params: ReadonlyMap<string, string>): string[] | undefined {
  const value = params.get('Endpoints')
  if (value === undefined) return undefined
  const items = value.split(',').map((item) => item.trim())
  if (items.length > MAX_ENDPOINTS) invalid(`Endpoints lists more than ${MAX_ENDPOINTS} endpoints`)
  return items.map((item, index) => {
    if (item === '') invalid(`Endpoints item ${index + 1} is empty: expected host:port`)
    try {
      return formatAddress(parseEndpoint(item))
    } catch (error) {
      // parseEndpoint's message quotes the endpoint and says what is wrong with it.
      if (error instanceof CoreError) invalid(`Endpoints: ${error.message}`)
      throw error
    }
  })
}

function clearable(
  params: ReadonlyMap<string, string>,
  name: string,
  maxLength: number
): string | null | undefined {
  const value = optionalString(params, name, maxLength)
  return value === '' ? null : value
}

function optionalBoolean(params: ReadonlyMap<string, string>, name: string): boolean | undefined {
  if ((params.get(name) ?? '') === '') return undefined
  return booleanParam(params, name, false)
}

function caParam(params: ReadonlyMap<string, string>): string | null | undefined {
  const value = clearable(params, 'TlsCa', 1_000_000)
  if (typeof value === 'string' && !value.includes('-----BEGIN CERTIFICATE-----')) {
    invalid('TlsCa must be PEM text (-----BEGIN CERTIFICATE-----…)')
  }
  return value
}
