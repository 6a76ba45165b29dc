import type { AkeneoProduct } from "./catalog";
import { AkeneoHttpError, DOCUMENTATION_URL, isPhpInteger, phpJsonEncode, phpQuery } from "./http";
import { parseProductSearch } from "./search";
import type { Catalog } from "./state";

/** `pim_api.pagination.limit_max` and `limit_by_default` (pagination.md: 100 at most, 10 by default). */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 10;
export const PRODUCTS_PATH = "/api/rest/v1/products-uuid";
/** Elasticsearch's `index.max_result_window`: offset paging stops at the 10,000th product (pagination.md "Limitation"). */
export const MAX_RESULT_WINDOW = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Query parameters as Akeneo reads them: the raw string when given, else its default. */
interface ListQuery {
  limit: string;
  paginationType: string;
  page: string;
  withCount: string;
  searchAfter: string | null;
  search: unknown;
}

/**
 * PaginationParametersValidator::validate with `support_search_after` (ValidatePagination): the
 * pagination type, then `limit`; for offset paging also `page` and `with_count`. 422 each.
 */
const validatePagination = (q: ListQuery): void => {
  if (q.paginationType !== "page" && q.paginationType !== "search_after") throw new AkeneoHttpError(422, "Pagination type does not exist.");
  if (!isPhpInteger(q.limit) || Number(q.limit) < 1) throw new AkeneoHttpError(422, `"${q.limit}" is not a valid limit number.`);
  if (Number(q.limit) > MAX_LIMIT) throw new AkeneoHttpError(422, `You cannot request more than ${MAX_LIMIT} items.`);
  if (q.paginationType === "search_after") return;
  if (!isPhpInteger(q.page) || Number(q.page) < 1) throw new AkeneoHttpError(422, `"${q.page}" is not a valid page number.`);
  if (q.withCount !== "true" && q.withCount !== "false")
    throw new AkeneoHttpError(422, `Parameter "with_count" has to be a boolean. Only "true" or "false" allowed, "${q.withCount}" given.`);
};

/** A product in a response: `_links.self` first (HalResource), then the product. */
export const withLinks = (product: AkeneoProduct, base: string) => ({ _links: { self: { href: `${base}${PRODUCTS_PATH}/${product.uuid}` } }, ...product });

/**
 * `GET /api/rest/v1/products-uuid` (pim-community-dev Pim/Enrichment/Bundle/Controller/ExternalApi/
 * ListProductsByUuidController.php with Tool/Component/Api/Pagination/OffsetHalPaginator.php and
 * SearchAfterHalPaginator.php). Links are rebuilt from the parsed parameters in Akeneo's order
 * (`page` first for offset paging, then `with_count`, `pagination_type`, `limit`, `search`, then
 * `search_after`), `search` re-encoded by PHP's json_encode. A page holding `limit` items always
 * has a `next` link, even when nothing follows (the paginators compare the count with the limit).
 * Items in uuid order; the search_after cursor is the last item's uuid.
 */
export const listProducts = (catalog: Catalog, attributeCodes: ReadonlySet<string>, url: URL, base: string): unknown => {
  const p = url.searchParams;
  const hasSearch = p.has("search");
  let search: unknown = null;
  if (hasSearch) {
    try {
      search = JSON.parse(p.get("search") ?? "");
    } catch {
      search = null;
    }
    if (typeof search !== "object" || search === null) throw new AkeneoHttpError(400, "Search query parameter should be valid JSON.");
  }
  const q: ListQuery = {
    limit: p.get("limit") ?? String(DEFAULT_LIMIT),
    paginationType: p.get("pagination_type") ?? "page",
    page: p.get("page") ?? "1",
    withCount: p.get("with_count") ?? "false",
    searchAfter: p.get("search_after"),
    search,
  };
  validatePagination(q);
  const accept = parseProductSearch(hasSearch ? (p.get("search") as string) : null, attributeCodes);
  const limit = Number(q.limit);
  // `$query->search !== []`: an empty search is left out of the links.
  const searchParam = search !== null && Object.keys(search as object).length > 0 ? phpJsonEncode(search) : null;
  // The other parameters the controller carries into its links, in its order (values not applied by the sandbox).
  const flag = (name: string) => (p.get(name) === "true" ? "true" : null);
  const carried = [
    ["scope", p.get("scope")],
    ["search_scope", p.get("search_scope")],
    ["locales", p.get("locales")],
    ["attributes", p.get("attributes")],
    ["with_attribute_options", flag("with_attribute_options")],
    ["with_quality_scores", flag("with_quality_scores")],
    ["with_completenesses", flag("with_completenesses")],
  ] as const;
  type Params = ReadonlyArray<readonly [string, string | number | null]>;
  // SearchAfterHalPaginator sets `search_after` last, after the carried parameters.
  const href = (params: Params, last: Params = []) => `${base}${PRODUCTS_PATH}?${phpQuery([...params, ...carried, ...last])}`;

  if (q.paginationType === "page") {
    const page = Number(q.page);
    if (page * limit > MAX_RESULT_WINDOW) {
      throw new AkeneoHttpError(
        422,
        'You have reached the maximum number of pages you can retrieve with the "page" pagination type. Please use the search after pagination type instead',
        {
          _links: { documentation: { href: `${DOCUMENTATION_URL}pagination.html#the-search-after-method` } },
        },
      );
    }
    const all = catalog.page(undefined, Number.MAX_SAFE_INTEGER, accept).items;
    const items = all.slice((page - 1) * limit, page * limit);
    const params = (n: string | number) =>
      [
        ["page", n],
        ["with_count", q.withCount],
        ["pagination_type", q.paginationType],
        ["limit", q.limit],
        ["search", searchParam],
      ] as const;
    const links: Record<string, { href: string }> = { self: { href: href(params(q.page)) }, first: { href: href(params(1)) } };
    if (page >= 2) links.previous = { href: href(params(page - 1)) };
    if (items.length >= limit) links.next = { href: href(params(page + 1)) };
    return {
      _links: links,
      current_page: page,
      ...(q.withCount === "true" ? { items_count: all.length } : {}),
      _embedded: { items: items.map((x) => withLinks(x, base)) },
    };
  }

  const { items } = catalog.page(q.searchAfter ?? undefined, limit, accept);
  const params = [
    ["with_count", q.withCount],
    ["pagination_type", q.paginationType],
    ["limit", q.limit],
    ["search", searchParam],
  ] as const;
  const links: Record<string, { href: string }> = { self: { href: href(params, [["search_after", q.searchAfter]]) }, first: { href: href(params) } };
  const last = items[items.length - 1];
  if (items.length === limit && last) links.next = { href: href(params, [["search_after", last.uuid]]) };
  return { _links: links, _embedded: { items: items.map((x) => withLinks(x, base)) } };
};

/** `GET /api/rest/v1/products-uuid/{uuid}` (GetProductByUuidController): 400 for a malformed uuid, 404 for an unknown one. */
export const getProduct = (catalog: Catalog, uuid: string, base: string): unknown => {
  if (!UUID.test(uuid)) throw new AkeneoHttpError(400, "The provided uuid is not valid");
  const product = catalog.get(uuid.toLowerCase());
  if (!product) throw new AkeneoHttpError(404, `Product "${uuid}" does not exist or you do not have permission to access it.`);
  return withLinks(product, base);
};
