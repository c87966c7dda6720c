/** How to reach and authenticate with every node of one deployment. */
export interface ConnectionOptions {
  /** ACL user name (6.0+); absent = `default`. */
  username?: string | undefined
  /** Password; never logged, never part of an error message. */
  password?: string | undefined
  /** Present = TLS on (`rediss://`). */
  tls?: TlsOptions | undefined
  /** Time to establish TCP/TLS and authenticate, ms. */
  connectTimeoutMs: number
  /** Time for one command's reply, ms. */
  commandTimeoutMs: number
  /** The name `CLIENT` goes by on the server (`rename-command`), default `CLIENT`. */
  clientCommand?: string | undefined
}

export interface TlsOptions {
  /** PEM CA bundle; absent = the system's trust store. */
  ca?: string | undefined
  /** SNI / name to verify; default the host. */
  servername?: string | undefined
  /** false = skip verification (explicit opt-in only). */
  rejectUnauthorized?: boolean | undefined
}

/** 3 s per node (issue 2: per-node timeout default). */
export const DEFAULT_NODE_TIMEOUT_MS = 3000
