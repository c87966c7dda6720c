import type { TopologyKind } from '../../../core/topology/topology.ts'
import type { Instance, InstancePatch, InstanceTls, NewInstance } from '../../../store/store.ts'
import { invalid } from '../params.ts'
import type { InstanceFieldParams } from './instance-params.ts'

/**
 * An instance as it will be stored once the request is applied, with its password in
 * clear for the probe. `auto` (Add without `Topology`) is settled by the probe.
 */
export interface InstanceDraft extends Omit<
  NewInstance,
  'topology' | 'password' | 'tls' | 'description'
> {
  topology: TopologyKind | 'auto'
  password: string | undefined
  tls: InstanceTls
  description: string
}

/** AddRedisInstance: the request's fields over the defaults (no TLS, no auth, detected topology). */
export function draftForAdd(instanceId: string, fields: InstanceFieldParams): InstanceDraft {
  if (fields.endpoints === undefined) invalid('Endpoints is required')
  if (fields.topology === undefined && fields.skipCheck) {
    // Nothing would connect to tell standalone from cluster.
    invalid('Topology is required when SkipCheck is true')
  }
  return checked({
    instanceId,
    topology: fields.topology ?? 'auto',
    endpoints: fields.endpoints,
    ...(typeof fields.username === 'string' ? { username: fields.username } : {}),
    password: fields.password ?? undefined,
    tls: mergeTls({ enabled: false, skipVerify: false }, fields),
    ...(typeof fields.sentinelMasterName === 'string'
      ? { sentinelMasterName: fields.sentinelMasterName }
      : {}),
    ...(fields.addressMap ? { addressMap: fields.addressMap } : {}),
    description: fields.description ?? '',
  })
}

/**
 * ModifyRedisInstance: the request's fields over the stored instance (`currentPassword`
 * decrypted for the probe). Leaving the sentinel topology drops the master name unless
 * the request names one (which is then refused); moving to `nodes` drops the address map
 * the same way.
 */
export function draftForModify(
  current: Instance,
  currentPassword: string | undefined,
  fields: InstanceFieldParams
): InstanceDraft {
  const topology = fields.topology ?? current.topology
  const masterName =
    fields.sentinelMasterName === undefined
      ? topology === 'sentinel'
        ? current.sentinelMasterName
        : undefined
      : (fields.sentinelMasterName ?? undefined)
  const username = fields.username === undefined ? current.username : (fields.username ?? undefined)
  const addressMap =
    fields.addressMap === undefined
      ? topology === 'nodes'
        ? undefined
        : current.addressMap
      : (fields.addressMap ?? undefined)
  return checked({
    instanceId: current.instanceId,
    topology,
    endpoints: fields.endpoints ?? current.endpoints,
    ...(username === undefined ? {} : { username }),
    password: fields.password === undefined ? currentPassword : (fields.password ?? undefined),
    tls: mergeTls(current.tls, fields),
    ...(masterName === undefined ? {} : { sentinelMasterName: masterName }),
    ...(addressMap === undefined ? {} : { addressMap }),
    description: fields.description ?? current.description,
  })
}

/** The store patch that turns the stored instance into `draft` (password only when given). */
export function patchOf(draft: InstanceDraft, fields: InstanceFieldParams): InstancePatch {
  if (draft.topology === 'auto') throw new Error('patchOf: topology not settled')
  return {
    topology: draft.topology,
    endpoints: draft.endpoints,
    username: draft.username ?? null,
    ...(fields.password === undefined ? {} : { password: fields.password }),
    tls: draft.tls,
    sentinelMasterName: draft.sentinelMasterName ?? null,
    addressMap: draft.addressMap ?? null,
    description: draft.description,
  }
}

/**
 * Contract §2 rules the store does not know: master name ⇔ sentinel, sockets ⇒ standalone,
 * no address map for `nodes` (its endpoints are connected as listed, nothing is announced).
 */
export function checked(draft: InstanceDraft): InstanceDraft {
  const { topology } = draft
  if (topology === 'sentinel' && draft.sentinelMasterName === undefined) {
    invalid('SentinelMasterName is required when Topology is sentinel')
  }
  if (topology !== 'sentinel' && draft.sentinelMasterName !== undefined) {
    invalid('SentinelMasterName is only for Topology sentinel')
  }
  if (topology === 'nodes' && draft.addressMap !== undefined) {
    invalid('AddressMap is not for Topology nodes: its endpoints are connected as listed')
  }
  const socket = draft.endpoints.find((endpoint) => endpoint.startsWith('/'))
  if (socket !== undefined && topology !== 'standalone' && topology !== 'auto') {
    invalid(`Endpoints: unix socket ${socket} is only for Topology standalone`)
  }
  return draft
}

function mergeTls(base: InstanceTls, fields: InstanceFieldParams): InstanceTls {
  const ca = fields.tlsCa === undefined ? base.ca : (fields.tlsCa ?? undefined)
  const servername =
    fields.tlsServerName === undefined ? base.servername : (fields.tlsServerName ?? undefined)
  return {
    enabled: fields.tls ?? base.enabled,
    skipVerify: fields.tlsSkipVerify ?? base.skipVerify,
    ...(ca === undefined ? {} : { ca }),
    ...(servername === undefined ? {} : { servername }),
  }
}
