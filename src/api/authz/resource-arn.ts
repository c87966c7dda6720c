/**
 * Resource names of our actions (contract.md §5). DAS knows only "All Resources" (`*`); we add
 * instance ARNs so a policy can grant one team its own instances.
 */

/** The resource of actions that concern no single instance (listing, aliases without instance…). */
export const ALL_RESOURCES = '*'

/**
 * `acs:hdm:*:*:instance/<InstanceId>`: region and account are `*` because a self-hosted server
 * has neither. A statement with Resource `*` matches it; a statement naming instance ARNs does
 * not match a request for {@link ALL_RESOURCES}, since the literal `*` is no instance ARN.
 */
export function instanceArn(instanceId: string): string {
  return `acs:hdm:*:*:instance/${instanceId}`
}
