/** Option shapes several commands share, and what they mean. */
/** `--cluster`, `--sentinel NAME`, `--nodes`: how a redis:// URL is to be read. */
export interface TopologyFlags {
  cluster?: boolean
  sentinel?: string
  nodes?: boolean
}

/** The topology the flags name (`--sentinel` first), or undefined when they name none. */
export function topologyOfFlags(
  flags: TopologyFlags
): 'sentinel' | 'cluster' | 'nodes' | undefined {
  if (flags.sentinel !== undefined) return 'sentinel'
  if (flags.cluster === true) return 'cluster'
  if (flags.nodes === true) return 'nodes'
  return undefined
}

/** The session filters `sessions` and `kill` share (`--ip`, `--name`, …), as commander gives them. */
export interface FilterFlags {
  ip?: string
  name?: string
  user?: string
  db?: string
  cmd?: string
  minIdle?: string
  flags?: string
  lib?: string
}
