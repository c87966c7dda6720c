import { describe } from 'node:test'
import type { Store } from '../../src/store/store.ts'
import { accessKeyContract } from './contract/access-keys.ts'
import { aliasContract } from './contract/aliases.ts'
import { auditContract } from './contract/audit.ts'
import { bootstrapContract } from './contract/bootstrap.ts'
import type { StoreBackend } from './contract/context.ts'
import { historyContract } from './contract/history.ts'
import { instanceContract } from './contract/instances.ts'
import { lifecycleContract } from './contract/lifecycle.ts'
import { policyContract } from './contract/policies.ts'
import { sampledCollectionContract } from './contract/sampled-collections.ts'
import { tempCredentialContract } from './contract/temp-credentials.ts'
import { userContract } from './contract/users.ts'

export type { StoreBackend } from './contract/context.ts'

/**
 * The whole behaviour every Store implementation must have, run once per backend.
 * `open` must return a fresh, empty store on its own database each time; `backend` lets the
 * suite look under the store (raw bytes) and reopen the same database with another master key.
 */
export function runStoreContract(
  name: string,
  open: () => Promise<Store>,
  backend: StoreBackend
): void {
  void describe(`store contract (${name})`, () => {
    const ctx = { open, backend }
    lifecycleContract(ctx)
    userContract(ctx)
    accessKeyContract(ctx)
    policyContract(ctx)
    instanceContract(ctx)
    tempCredentialContract(ctx)
    auditContract(ctx)
    bootstrapContract(ctx)
    aliasContract(ctx)
    historyContract(ctx)
    sampledCollectionContract(ctx)
  })
}
