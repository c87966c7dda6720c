import type { AliasOf } from '../api/actions/get-redis-all-session/present.ts'
import { collectDeployment } from '../core/collect/collect-deployment.ts'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import { CliError } from './cli-error.ts'

/** One collection: the sessions and the `ClientDesc` of each client. */
export interface CollectedSessions {
  snapshot: SessionsSnapshot
  aliasOf: AliasOf
}

/**
 * Where `sessions <target>` gets its sessions from; `collect()` is called once, or once per
 * `--watch` round. Throws when no node answered. Call `close()` when done.
 */
export interface SessionsSource {
  collect(): Promise<CollectedSessions>
  close(): Promise<void>
}

/** How to reach a registered instance: a remote server or the local store. */
export interface InstanceSourceOptions {
  /** `--endpoint`; with the environment's AccessKey it selects the remote server. */
  endpoint: string | undefined
  /** `--data-dir` of the local store. */
  dataDir: string | undefined
  /** Per-node timeout of the local path's connections, ms. */
  timeoutMs: number
  env: NodeJS.ProcessEnv
}

/** A deployment given by URL: discovered and listed by this process. */
export function urlSource(spec: DeploymentSpec): SessionsSource {
  return {
    collect: async () => ({ snapshot: await collectDeployment(spec), aliasOf: () => '' }),
    close: () => Promise.resolve(),
  }
}

/**
 * A registered instance: through GetRedisAllSession on a remote server (`--endpoint`), or
 * from the local store with the code the server runs (`deploymentOfInstance`, aliases by
 * `createAliasResolver`), so both print the same `Data`.
 */
export async function instanceSource(
  instanceId: string,
  options: InstanceSourceOptions
): Promise<SessionsSource> {
  // Loaded only for this path: a redis:// target never pays for the store or the HTTP client.
  const [{ INSTANCE_ID_PATTERN }, remote, { snapshotFromData }] = await Promise.all([
    import('../api/actions/params.ts'),
    import('./remote-client.ts'),
    import('./remote-sessions.ts'),
  ])
  if (!INSTANCE_ID_PATTERN.test(instanceId)) {
    throw new CliError(
      `"${instanceId.slice(0, 80)}" is neither a redis://, rediss:// or unix:// URL nor an instance id`
    )
  }
  const target = remote.remoteTargetFrom(options.endpoint, options.env)
  if (target !== undefined) {
    const client = remote.createRemoteClient(target)
    return {
      collect: async () =>
        snapshotFromData(await client.call('GetRedisAllSession', { InstanceId: instanceId })),
      close: () => Promise.resolve(),
    }
  }
  const [{ findLocalStore, openLocalStore }, { createAliasResolver }, { deploymentOfInstance }] =
    await Promise.all([
      import('./local-store.ts'),
      import('../service/alias-resolver.ts'),
      import('../service/deployment-of-instance.ts'),
    ])
  const where = { dataDir: options.dataDir, env: options.env }
  const found = findLocalStore(where)
  if (!found.exists) {
    throw new CliError(
      `no instance ${instanceId}: there is no store in ${found.dataDir} (register one with: redis-sessions instances add, or give --data-dir / --endpoint)`
    )
  }
  const local = await openLocalStore(where)
  try {
    const instance = await local.store.instances.get(instanceId)
    if (instance === undefined) {
      throw new CliError(
        `no instance ${instanceId} in ${local.config.dataDir} (see: redis-sessions instances list)`
      )
    }
    const password = await local.store.instances.getConnectionSecret(instanceId)
    const timeouts = { connectTimeoutMs: options.timeoutMs, commandTimeoutMs: options.timeoutMs }
    const spec = deploymentOfInstance(instance, password, timeouts)
    const aliasesFor = createAliasResolver(local.store)
    return {
      collect: async () => ({
        snapshot: await collectDeployment(spec),
        aliasOf: await aliasesFor(instanceId),
      }),
      close: () => local.close(),
    }
  } catch (error) {
    await local.close()
    throw error
  }
}
