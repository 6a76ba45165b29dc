import type { StoredRecord } from "../model";
import { apiErrors } from "../jsonapi/errors";
import { collectIncluded, renderRecord } from "../jsonapi/document";
import { selectRows } from "../jsonapi/matcher";
import { parseQuery } from "../jsonapi/query";
import type { ApiQuery } from "../jsonapi/query";
import type { ApiEnv, ApiRequest } from "./context";
import { sendDocument } from "./context";

/** `GET /admin/api/{type}/{id}` with `include` and `fields`. */
export function handleGet(env: ApiEnv, request: ApiRequest, id: string): void {
  const query = parseQuery(request.url, request.def, "item");
  const record = env.store.mustTable(request.def.type).get(id);
  if (!record) throw apiErrors.notFound();
  const render = { ...request.render, fields: query.fields };
  const body: Record<string, unknown> = { data: renderRecord(record, request.def, render) };
  const included = collectIncluded([record], query.include, env.store, env.defs, render);
  if (included.length > 0) body.included = included;
  sendDocument(request.res, 200, body);
}

/** Checks filters a resource requires (productprices: `filter[priceList]`, `=` only, one value). */
export function checkRequiredFilters(request: ApiRequest, query: ApiQuery): void {
  for (const name of request.def.requiredFilters ?? []) {
    const parameter = `filter[${name}]`;
    const filter = query.filters.find((f) => f.name === name);
    if (!filter) throw apiErrors.filter(parameter, `The "${name}" filter is required.`);
    if (filter.operator !== "eq" || filter.value.includes(",") || filter.value.includes("..")) {
      throw apiErrors.filter(filter.parameter, `The "${name}" filter supports only the "=" operator and a single value.`);
    }
  }
}

/** Sorts rows by the requested fields; default id ASC (platform@6.1 SetDefaultSorting.php). */
export function sortRows(rows: StoredRecord[], query: ApiQuery, numericIds: boolean, alreadyOrdered: boolean): StoredRecord[] {
  const isDefault = query.sort.length === 1 && query.sort[0]?.field === "id" && !query.sort[0].descending;
  if (isDefault && alreadyOrdered) return rows;
  const value = (record: StoredRecord, field: string): number | string => {
    if (field === "id") return numericIds ? Number(record.id) : record.id;
    const v = record.attributes[field];
    return typeof v === "number" ? v : v == null ? "" : String(v);
  };
  return [...rows].sort((a, b) => {
    for (const { field, descending } of query.sort) {
      const x = value(a, field);
      const y = value(b, field);
      if (x === y) continue;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
}

/** `page[number]` omitted on page 1; params URL-encoded (AsyncOperationErrorsTest.php, NextPageLinkMetadata.php). */
export function pageLink(request: ApiRequest, query: ApiQuery, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of request.url.searchParams) if (key !== "page[number]" && key !== "page[size]") params.append(key, value);
  if (page > 1) params.set("page[number]", String(page));
  if (query.explicitPageSize) params.set("page[size]", String(query.page.size));
  const text = params.toString();
  return `${request.baseUrl}${request.url.pathname}${text ? `?${text}` : ""}`;
}

/**
 * Pages rows and builds list links: `self`, `first`/`prev` from page 2 on, `next` only when more
 * rows exist, no `last` (docs/reference/oro-api.md §3).
 */
export function pageRows<T>(rows: T[], request: ApiRequest, query: ApiQuery): { page: T[]; links: Record<string, string> } {
  const { number, size } = query.page;
  if (size === -1) return { page: rows, links: { self: pageLink(request, query, 1) } };
  const start = (number - 1) * size;
  const page = rows.slice(start, start + size);
  const links: Record<string, string> = { self: pageLink(request, query, number) };
  if (number > 1) {
    links.first = pageLink(request, query, 1);
    links.prev = pageLink(request, query, number - 1);
  }
  if (rows.length > start + size) links.next = pageLink(request, query, number + 1);
  return { page, links };
}

/** `GET /admin/api/{type}` with filters, sort, paging, links, `X-Include: totalCount`, include, fields. */
export function handleList(env: ApiEnv, request: ApiRequest): void {
  const query = parseQuery(request.url, request.def, "list");
  checkRequiredFilters(request, query);
  const table = env.store.mustTable(request.def.type);
  const indexed = query.filters.some((f) => f.operator === "eq");
  const rows = sortRows(selectRows(table, query.filters), query, request.def.idStrategy === "sequence", table.ordered && !indexed);
  const { page, links } = pageRows(rows, request, query);
  const render = { ...request.render, fields: query.fields };
  const body: Record<string, unknown> = { data: page.map((r) => renderRecord(r, request.def, render)) };
  if (request.render.hateoas) body.links = links;
  const included = collectIncluded(page, query.include, env.store, env.defs, render);
  if (included.length > 0) body.included = included;
  const headers: Record<string, string> = {};
  if (request.xInclude.has("totalCount")) headers["X-Include-Total-Count"] = String(rows.length);
  sendDocument(request.res, 200, body, headers);
}
