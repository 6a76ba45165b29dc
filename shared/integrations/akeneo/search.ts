/** Akeneo's date form for filters: `YYYY-MM-DD HH:MM:SS`, read by the PIM in UTC (docs/reference/akeneo-api.md §4). */
export const akeneoFilterDate = (time: Date): string => time.toISOString().slice(0, 19).replace("T", " ");

/** Options of {@link productsListPath}. */
export interface ProductListQuery {
  /** Only products updated in `[from, to]` (Akeneo's BETWEEN is inclusive on both bounds, docs/reference/akeneo-api.md §4). */
  updated?: { from: Date; to: Date };
  /** Page size, at most 100. Default 100. */
  limit?: number;
}

/**
 * The first page of `GET /api/rest/v1/products-uuid` with search_after paging (the fast mode for
 * big catalogs; the cursor is never built by hand: later pages follow `_links.next`).
 */
export const productsListPath = (query: ProductListQuery = {}): string => {
  const params = new URLSearchParams({ pagination_type: "search_after", limit: String(query.limit ?? 100) });
  if (query.updated) {
    params.set(
      "search",
      JSON.stringify({ updated: [{ operator: "BETWEEN", value: [akeneoFilterDate(query.updated.from), akeneoFilterDate(query.updated.to)] }] }),
    );
  }
  return `/api/rest/v1/products-uuid?${params.toString()}`;
};
