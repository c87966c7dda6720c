const OPEN_BRACKET = 91

/**
 * The client address of a `CLIENT LIST` `addr` without its port: the DAS `Client`
 * field (docs/redis.md §4, `anetFormatAddr`).
 *
 * - `[::1]:6379`, `[fe80::1%eth0]:6379` → the text inside the brackets;
 * - `10.0.0.5:53458` → up to the **last** `:`;
 * - `/run/redis.sock:0` (unix socket) → the socket path, which may itself contain `:`;
 * - `?:0` (the server could not read the peer address) → `?`;
 * - no `:` at all → the text unchanged.
 */
export function clientOfAddr(addr: string): string {
  if (addr.charCodeAt(0) === OPEN_BRACKET) {
    const close = addr.lastIndexOf(']')
    if (close > 0) return addr.slice(1, close)
  }
  const colon = addr.lastIndexOf(':')
  return colon === -1 ? addr : addr.slice(0, colon)
}
