/**
 * Maps `items` with at most `concurrency` calls of `fn` in flight, keeping input
 * order. `fn` must not reject (collection turns failures into outcomes); a rejection
 * still propagates rather than being lost.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker)
  await Promise.all(workers)
  return results
}
