/**
 * Runs `task` over `items` with at most `concurrency` in flight, keeping results in input order.
 * Tasks must not throw (the runtime turns every outcome into a value).
 */
export const mapWithConcurrency = async <T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  // All at once (a batch of 10 with 10 at a time): no worker loop, the same results in order.
  // Awaited, not returned: an async function that returns a promise pays two more microtask turns to adopt it.
  if (items.length <= concurrency) return await Promise.all(items.map(task));
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
};
