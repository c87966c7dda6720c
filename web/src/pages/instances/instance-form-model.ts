/** The add / edit instance form: its values, validation, and the RPC parameters it sends. */
import type { Instance } from '../../api/types.ts'

/** Form values as typed. `topology` `''` = let the probe detect it (add only). */
export interface InstanceFormValues {
  instanceId: string
  topology: '' | 'standalone' | 'sentinel' | 'cluster' | 'nodes'
  /** One endpoint per line or comma-separated. */
  endpoints: string
  username: string
  /** Write-only: empty on edit = unchanged. */
  password: string
  clearPassword: boolean
  tls: boolean
  tlsServerName: string
  tlsSkipVerify: boolean
  sentinelMasterName: string
  description: string
  skipCheck: boolean
}

/** An empty form (add). */
export const EMPTY_FORM: InstanceFormValues = {
  instanceId: '',
  topology: '',
  endpoints: '',
  username: '',
  password: '',
  clearPassword: false,
  tls: false,
  tlsServerName: '',
  tlsSkipVerify: false,
  sentinelMasterName: '',
  description: '',
  skipCheck: false,
}

/** The form of an existing instance (edit); the password is never known. */
export function formOf(instance: Instance): InstanceFormValues {
  const topology = ['standalone', 'sentinel', 'cluster', 'nodes'].find(
    (t) => t === instance.Topology
  )
  return {
    ...EMPTY_FORM,
    instanceId: instance.InstanceId,
    topology: (topology ?? '') as InstanceFormValues['topology'],
    endpoints: instance.Endpoints.join('\n'),
    username: instance.Username,
    tls: instance.Tls.Enabled,
    tlsServerName: instance.Tls.ServerName,
    tlsSkipVerify: instance.Tls.SkipVerify,
    sentinelMasterName: instance.SentinelMasterName,
    description: instance.Description,
  }
}

/** Field → message for every rule the values break (same rules as the server, contract §2). */
export function validateForm(
  values: InstanceFormValues,
  mode: 'add' | 'edit'
): Partial<Record<keyof InstanceFormValues, string>> {
  const errors: Partial<Record<keyof InstanceFormValues, string>> = {}
  if (mode === 'add' && !/^[a-z][a-z0-9-]{1,63}$/.test(values.instanceId)) {
    errors.instanceId = '2–64 characters: a lower-case letter, then a-z, 0-9 or -'
  }
  const endpoints = endpointList(values.endpoints)
  if (endpoints.length === 0) errors.endpoints = 'at least one host:port'
  else if (endpoints.length > 64) errors.endpoints = 'at most 64 endpoints'
  else {
    const bad = endpoints.find((endpoint) => endpointProblem(endpoint) !== undefined)
    if (bad !== undefined) errors.endpoints = `${bad}: ${endpointProblem(bad) ?? ''}`
    else if (
      values.topology !== 'standalone' &&
      values.topology !== '' &&
      endpoints.some((e) => e.startsWith('/'))
    ) {
      errors.endpoints = 'unix sockets only for standalone instances'
    }
  }
  if (values.topology === 'sentinel' && values.sentinelMasterName.trim() === '') {
    errors.sentinelMasterName = 'the master name Sentinel monitors'
  }
  if (values.skipCheck && values.topology === '') {
    errors.topology = 'choose the topology when skipping the check'
  }
  if ([...values.description].length > 256) errors.description = 'at most 256 characters'
  return errors
}

/** The endpoints typed, one per line or comma. */
export function endpointList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function endpointProblem(endpoint: string): string | undefined {
  if (endpoint.startsWith('/')) return undefined
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(endpoint)
  const plain = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(endpoint)
  const match = bracketed ?? plain
  if (match === null) {
    return endpoint.split(':').length > 2
      ? 'write IPv6 addresses in brackets, e.g. [::1]:6379'
      : 'expected host:port'
  }
  const port = match[2] === undefined ? 6379 : Number(match[2])
  return port >= 1 && port <= 65535 ? undefined : 'port must be 1–65535'
}

/** RPC parameters of AddRedisInstance, or of ModifyRedisInstance with only what changed. */
export function paramsOf(
  values: InstanceFormValues,
  original: InstanceFormValues | undefined
): Record<string, string> {
  const all: Record<string, string> = {
    Topology: values.topology,
    Endpoints: endpointList(values.endpoints).join(','),
    Username: values.username.trim(),
    Tls: String(values.tls),
    TlsServerName: values.tls ? values.tlsServerName.trim() : '',
    TlsSkipVerify: String(values.tls && values.tlsSkipVerify),
    SentinelMasterName: values.topology === 'sentinel' ? values.sentinelMasterName.trim() : '',
    Description: values.description,
  }
  const params: Record<string, string> = { InstanceId: values.instanceId }
  const before = original === undefined ? undefined : paramsOf(original, undefined)
  for (const [name, value] of Object.entries(all)) {
    // Add: empty optional fields are left out; edit: only changed ones are sent ('' clears).
    if (before === undefined ? value !== '' : before[name] !== value) params[name] = value
  }
  if (values.clearPassword) params['Password'] = ''
  else if (values.password !== '') params['Password'] = values.password
  if (values.skipCheck) params['SkipCheck'] = 'true'
  return params
}
