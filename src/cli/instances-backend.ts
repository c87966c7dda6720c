import { z } from 'zod'
import { addRedisInstance } from '../api/actions/add-redis-instance/handler.ts'
import { deleteRedisInstance } from '../api/actions/delete-redis-instance/handler.ts'
import {
  describeInstances,
  MAX_PAGE_SIZE,
} from '../api/actions/describe-redis-instances/handler.ts'
import type { PresentedInstance } from '../api/actions/instances/present-instance.ts'
import { CliError } from './cli-error.ts'
import { localCall, withLocalStore } from './local-store.ts'
import { createRemoteClient, type RemoteTarget } from './remote-client.ts'
import { runLocalAction } from './run-local-action.ts'

/** `Data` of AddRedisInstance: the instance and, when probed, its nodes. */
export type Registration = z.infer<typeof REGISTRATION>

/** The whole registry, every page read. */
export interface InstanceList {
  Total: number
  Instances: PresentedInstance[]
}

/**
 * The registry operations of the `instances` commands, on the local store (with the code
 * the actions run) or on a remote server (through the actions): same inputs, same outputs.
 */
export interface InstancesBackend {
  /** `params` are AddRedisInstance's RPC parameters. */
  add(params: Readonly<Record<string, string>>): Promise<Registration>
  list(): Promise<InstanceList>
  remove(instanceId: string): Promise<void>
}

/**
 * The local store in `dataDir` (`--data-dir`, else `REDIS_SESSIONS_DATA_DIR`, else ./data).
 * Add and remove run the actions themselves, audited as `local:<OS user>` like the server audits
 * them (`runLocalAction`).
 */
export function localBackend(
  dataDir: string | undefined,
  env: NodeJS.ProcessEnv
): InstancesBackend {
  const withStore = <T>(work: Parameters<typeof withLocalStore<T>>[1]) =>
    withLocalStore({ dataDir, env }, (local) => localCall(() => work(local)))
  return {
    add: (params) =>
      withStore(async ({ store, config }) => {
        const outcome = await runLocalAction(store, config, addRedisInstance, params)
        // As the action presents it, every field kept (the check only guards the type).
        return parseData(REGISTRATION.passthrough(), 'data' in outcome ? outcome.data : undefined)
      }),
    list: () =>
      withStore(async ({ store }) =>
        readAllPages((pageNumber) =>
          describeInstances(store, { instanceId: undefined, pageNumber, pageSize: MAX_PAGE_SIZE })
        )
      ),
    remove: (instanceId) =>
      withStore(async ({ store, config }) => {
        await runLocalAction(store, config, deleteRedisInstance, { InstanceId: instanceId })
      }),
  }
}

/** A remote server, through Add/Describe/DeleteRedisInstance. */
export function remoteBackend(target: RemoteTarget): InstancesBackend {
  const client = createRemoteClient(target)
  return {
    add: async (params) => parseData(REGISTRATION, await client.call('AddRedisInstance', params)),
    list: () =>
      readAllPages(async (pageNumber) =>
        parseData(
          PAGE,
          await client.call('DescribeRedisInstances', {
            PageNumber: String(pageNumber),
            PageSize: String(MAX_PAGE_SIZE),
          })
        )
      ),
    remove: async (instanceId) => {
      await client.call('DeleteRedisInstance', { InstanceId: instanceId })
    },
  }
}

async function readAllPages(
  page: (pageNumber: number) => Promise<InstanceList>
): Promise<InstanceList> {
  const instances: PresentedInstance[] = []
  for (let pageNumber = 1; ; pageNumber++) {
    const { Total, Instances } = await page(pageNumber)
    instances.push(...Instances)
    // An empty page also ends it: instances removed meanwhile must not loop forever.
    if (instances.length >= Total || Instances.length === 0) {
      return { Total: instances.length, Instances: instances }
    }
  }
}

const INSTANCE = z.object({
  InstanceId: z.string(),
  Topology: z.string(),
  Endpoints: z.array(z.string()),
  Username: z.string(),
  HasPassword: z.boolean(),
  Tls: z.object({
    Enabled: z.boolean(),
    ServerName: z.string(),
    SkipVerify: z.boolean(),
    HasCa: z.boolean(),
  }),
  SentinelMasterName: z.string(),
  AddressMap: z.array(z.object({ From: z.string(), To: z.string() })).optional(),
  Description: z.string(),
  CreatedAt: z.number(),
  UpdatedAt: z.number(),
  LastCollection: z
    .object({
      Time: z.number(),
      Total: z.number(),
      Active: z.number(),
      Nodes: z.number(),
      FailedNodes: z.number(),
      Complete: z.boolean(),
      Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
    })
    .optional(),
}) satisfies z.ZodType<PresentedInstance>

const PROBE_NODE = z.object({
  NodeId: z.string(),
  Address: z.string(),
  Role: z.string(),
  Shard: z.number(),
  SkipReason: z.string().optional(),
})
const REGISTRATION = INSTANCE.extend({ Nodes: z.array(PROBE_NODE).optional() })
const PAGE = z.object({ Total: z.number(), Instances: z.array(INSTANCE) })

function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`
  throw new CliError(`the server's answer has an unexpected shape${where}`)
}
