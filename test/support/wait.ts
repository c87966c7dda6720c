/** Options for `waitFor`. */
export interface WaitOptions {
  /** What we wait for, used in the timeout error. */
  what: string
  timeoutMs?: number
  intervalMs?: number
}

/**
 * Polls `check` until it returns true; rejects after `timeoutMs` (default 30 s) with `what` and the
 * last error `check` threw, so a stuck topology says why. Errors inside `check` count as "not yet".
 */
export async function waitFor(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  let lastError: unknown
  for (;;) {
    try {
      if (await check()) return
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`timed out waiting for ${options.what}${reason}`, { cause: lastError })
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100))
  }
}
