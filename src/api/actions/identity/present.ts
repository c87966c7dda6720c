import type { AccessKeySummary, Policy, UserSummary } from '../../../store/store.ts'

/** RAM's date format: ISO 8601 UTC without milliseconds (`2015-01-23T12:33:18Z`). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** RAM `User` (`UserName`, `CreateDate`) plus `HasLoginProfile`: whether it can sign in to the console. */
export function presentUser(user: UserSummary): Record<string, string | boolean> {
  return {
    UserName: user.name,
    CreateDate: isoDate(user.createdAt),
    HasLoginProfile: user.hasPassword,
  }
}

/** RAM `AccessKey` as listed: never a secret (the store's summary has none to give). */
export function presentAccessKey(key: AccessKeySummary): Record<string, string> {
  return {
    AccessKeyId: key.accessKeyId,
    UserName: key.userName,
    Status: key.status,
    CreateDate: isoDate(key.createdAt),
  }
}

/** RAM `Policy` without its document; one version (`v1`) since documents are not versioned. */
export function presentPolicy(policy: Policy): Record<string, string> {
  return {
    PolicyName: policy.name,
    PolicyType: 'Custom',
    Description: policy.description,
    DefaultVersion: 'v1',
    CreateDate: isoDate(policy.createdAt),
  }
}
