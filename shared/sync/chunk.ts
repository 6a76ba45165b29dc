/**
 * Splits items into groups of at most `maxItems` whose JSON stays under `maxBytes`, keeping order
 * (fan-out messages must stay well under SQS's size limit). An item bigger than `maxBytes` alone
 * goes to `oversized`: the caller sends a reference to it (an id to re-fetch) instead.
 */
export const chunkByJsonSize = <T>(
  items: readonly T[],
  maxBytes: number,
  maxItems = Number.POSITIVE_INFINITY,
): { chunks: T[][]; oversized: T[]; sizes: number[] } => {
  const chunks: T[][] = [];
  const sizes: number[] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  // 2 bytes for the array brackets; 1 per separator.
  let size = 2;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes + 2 > maxBytes) {
      oversized.push(item);
      continue;
    }
    if (current.length > 0 && (size + bytes + 1 > maxBytes || current.length >= maxItems)) {
      chunks.push(current);
      sizes.push(size);
      current = [];
      size = 2;
    }
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) {
    chunks.push(current);
    sizes.push(size);
  }
  return { chunks, oversized, sizes };
};
