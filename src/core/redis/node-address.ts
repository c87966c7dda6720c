/** Where a node listens: TCP host and port, or a unix socket path (standalone only). */
export type NodeAddress =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

/**
 * Announced address (`ip:port` as the deployment reports it) → reachable address
 * (`host:port`), for NAT'd or container deployments (like ioredis `natMap`).
 */
export type AddressMap = ReadonlyMap<string, string>
