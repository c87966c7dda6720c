import type { AnyAction } from '../action.ts'
import { attachPolicyToUser } from '../attach-policy-to-user/handler.ts'
import { createAccessKey } from '../create-access-key/handler.ts'
import { createPolicy } from '../create-policy/handler.ts'
import { createUser } from '../create-user/handler.ts'
import { deleteAccessKey } from '../delete-access-key/handler.ts'
import { deleteConsoleSession } from '../delete-console-session/handler.ts'
import { deleteLoginProfile } from '../delete-login-profile/handler.ts'
import { deletePolicy } from '../delete-policy/handler.ts'
import { deleteUser } from '../delete-user/handler.ts'
import { detachPolicyFromUser } from '../detach-policy-from-user/handler.ts'
import { getPolicy } from '../get-policy/handler.ts'
import { listAccessKeys } from '../list-access-keys/handler.ts'
import { listPolicies } from '../list-policies/handler.ts'
import { listPoliciesForUser } from '../list-policies-for-user/handler.ts'
import { listUsers } from '../list-users/handler.ts'
import { revokeConsoleSessions } from '../revoke-console-sessions/handler.ts'
import { updateAccessKey } from '../update-access-key/handler.ts'
import { updateLoginProfile } from '../update-login-profile/handler.ts'

/**
 * The identity actions (contract §7), named and parameterised like Alibaba RAM's (RAM code
 * `ram`), plus console sign-out and revocation. Registered by `registry.ts` in one line.
 */
export const IDENTITY_ACTIONS: readonly AnyAction[] = [
  createUser,
  listUsers,
  deleteUser,
  updateLoginProfile,
  deleteLoginProfile,
  createAccessKey,
  updateAccessKey,
  listAccessKeys,
  deleteAccessKey,
  createPolicy,
  getPolicy,
  listPolicies,
  deletePolicy,
  attachPolicyToUser,
  detachPolicyFromUser,
  listPoliciesForUser,
  deleteConsoleSession,
  revokeConsoleSessions,
]
