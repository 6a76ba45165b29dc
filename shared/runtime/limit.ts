/**
 * Runs `task` over `items` with at most `concurrency` in flight, keeping results in input order.
 * Tasks must not throw (the runtime turns every outcome into a value).
 */
export const mapWithConcurrency = <T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  // All at once (a batch of 10 with 10 at a time): no worker loop, the same results in order, and
  // Promise.all's promise itself (an async function around it would add a promise and an await
  // per batch, bench:runtime). A task that throws instead of rejecting rejects it all the same.
  if (items.length <= concurrency) {
    try {
      return Promise.all(items.map(task));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return inPool(items, concurrency, task);
};

/** `concurrency` workers, each taking the next item when its last one is done. */
const inPool = async <T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
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
