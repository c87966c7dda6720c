import type { Insertable, Selectable } from 'kysely'
import type { TopologyKind } from '../../core/topology/topology.ts'
import { StoreCorruptError, StoreInvalidInputError } from '../errors.ts'
import { toNumber, type InstancesTable } from '../schema.ts'
import type { AddressMapping, Instance, InstanceTls, NewInstance } from '../store.ts'
import { checkLength, checkPattern, INSTANCE_ID_PATTERN } from './validate.ts'

const TOPOLOGIES: readonly TopologyKind[] = ['standalone', 'sentinel', 'cluster', 'nodes']
const MAX_ENDPOINTS = 1000
/** Entries of one address map: a big cluster's masters and replicas, with room to spare. */
/** A sanity bound of the store; the API accepts at most 1,024 (`address-map-param.ts`). */
const MAX_STORED_ADDRESS_MAPPINGS = 4096

function isTopology(value: string): value is TopologyKind {
  return TOPOLOGIES.some((t) => t === value)
}

/** The fields of an instance after a patch is merged, before sealing and writing. */
export type InstanceFields = Omit<NewInstance, 'password'>

/**
 * Checks what the store itself relies on. Endpoint syntax (host:port, IPv6, sockets) is the
 * caller's job; here only sizes and the sentinel/master-name pairing.
 */
export function checkInstanceFields(fields: InstanceFields): void {
  checkPattern('InstanceId', fields.instanceId, INSTANCE_ID_PATTERN)
  if (!isTopology(fields.topology)) {
    throw new StoreInvalidInputError(`topology must be one of ${TOPOLOGIES.join(', ')}`)
  }
  if (fields.endpoints.length === 0 || fields.endpoints.length > MAX_ENDPOINTS) {
    throw new StoreInvalidInputError(`an instance needs 1–${MAX_ENDPOINTS} endpoints`)
  }
  for (const endpoint of fields.endpoints) checkLength('endpoint', endpoint, 1024, 1)
  if (fields.username !== undefined) checkLength('username', fields.username, 256, 1)
  if (fields.description !== undefined) checkLength('description', fields.description, 1024)
  if (fields.tls?.ca !== undefined) checkLength('TLS CA bundle', fields.tls.ca, 1_000_000, 1)
  if (fields.tls?.servername !== undefined) {
    checkLength('TLS server name', fields.tls.servername, 255, 1)
  }
  if (fields.topology === 'sentinel' && fields.sentinelMasterName === undefined) {
    throw new StoreInvalidInputError('a sentinel instance needs sentinelMasterName')
  }
  if (fields.sentinelMasterName !== undefined) {
    checkLength('sentinelMasterName', fields.sentinelMasterName, 256, 1)
  }
  if (fields.addressMap !== undefined) checkAddressMap(fields.addressMap)
}

/** Sizes, and one entry per announced address (the map is a function). */
function checkAddressMap(map: readonly AddressMapping[]): void {
  if (map.length > MAX_STORED_ADDRESS_MAPPINGS) {
    throw new StoreInvalidInputError(
      `an address map has at most ${MAX_STORED_ADDRESS_MAPPINGS} entries`
    )
  }
  const seen = new Set<string>()
  for (const { from, to } of map) {
    checkLength('address map entry', from, 1024, 1)
    checkLength('address map entry', to, 1024, 1)
    if (seen.has(from)) throw new StoreInvalidInputError('an address map maps an address twice')
    seen.add(from)
  }
}

/** Columns for `fields` (everything but the password and the times). */
export function toColumns(
  fields: InstanceFields
): Omit<Insertable<InstancesTable>, 'password_sealed' | 'created_at' | 'updated_at'> {
  const tls: InstanceTls = fields.tls ?? { enabled: false, skipVerify: false }
  return {
    instance_id: fields.instanceId,
    topology: fields.topology,
    endpoints: JSON.stringify(fields.endpoints),
    username: fields.username ?? null,
    tls_enabled: tls.enabled ? 1 : 0,
    tls_ca: tls.ca ?? null,
    tls_servername: tls.servername ?? null,
    tls_skip_verify: tls.skipVerify ? 1 : 0,
    sentinel_master_name: fields.sentinelMasterName ?? null,
    description: fields.description ?? '',
    // An empty map is stored as none, so `get` never returns `addressMap: []`.
    address_map:
      fields.addressMap === undefined || fields.addressMap.length === 0
        ? null
        : JSON.stringify(fields.addressMap.map(({ from, to }) => [from, to])),
  }
}

function parseEndpoints(text: string): string[] {
  const value: unknown = JSON.parse(text)
  if (Array.isArray(value) && value.every((e): e is string => typeof e === 'string')) return value
  throw new StoreCorruptError('instance endpoints in the store are not a list of strings')
}

function parseAddressMap(text: string): AddressMapping[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new StoreCorruptError('an instance address map in the store is not JSON')
  }
  if (
    Array.isArray(value) &&
    value.every(
      (pair): pair is [string, string] =>
        Array.isArray(pair) && pair.length === 2 && pair.every((side) => typeof side === 'string')
    )
  ) {
    return value.map(([from, to]) => ({ from, to }))
  }
  throw new StoreCorruptError('an instance address map in the store is not a list of pairs')
}

/** A row as the API sees it: no password, only whether there is one. */
export function fromRow(row: Selectable<InstancesTable>): Instance {
  if (!isTopology(row.topology)) throw new StoreCorruptError('unknown topology in the store')
  const tls: InstanceTls = { enabled: row.tls_enabled !== 0, skipVerify: row.tls_skip_verify !== 0 }
  if (row.tls_ca !== null) tls.ca = row.tls_ca
  if (row.tls_servername !== null) tls.servername = row.tls_servername
  const instance: Instance = {
    instanceId: row.instance_id,
    topology: row.topology,
    endpoints: parseEndpoints(row.endpoints),
    hasPassword: row.password_sealed !== null,
    tls,
    description: row.description,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  }
  if (row.username !== null) instance.username = row.username
  if (row.sentinel_master_name !== null) instance.sentinelMasterName = row.sentinel_master_name
  if (row.address_map !== null) instance.addressMap = parseAddressMap(row.address_map)
  return instance
}

/** The stored fields of `row`, for merging a patch. */
export function fieldsOf(row: Selectable<InstancesTable>): InstanceFields {
  const {
    hasPassword: _hasPassword,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    ...fields
  } = fromRow(row)
  return fields
}
