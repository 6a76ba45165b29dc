import { readBody } from "../../common";
import { apiErrors } from "../jsonapi/errors";
import { collectIncluded, renderRecord, resourceUrl } from "../jsonapi/document";
import { selectRows } from "../jsonapi/matcher";
import { parseQuery } from "../jsonapi/query";
import type { StoredRecord } from "../model";
import type { ApiEnv, ApiRequest } from "./context";
import { sendDocument } from "./context";
import { checkRequiredFilters, sortRows } from "./read";
import { deleteCascading } from "./cascade";
import { writeDocument } from "./write";
import type { WriteMode } from "./write";

/** oro_api.max_delete_entities (platform@6.1 ApiBundle Configuration.php). */
export const MAX_DELETE_ENTITIES = 100;

/** Reads and parses a JSON:API request body; malformed JSON answers 400. */
export async function readDocument(request: ApiRequest): Promise<Record<string, unknown>> {
  const raw = await readBody(request.req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw apiErrors.requestData("The request data should not be empty and should be a valid JSON:API document.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw apiErrors.requestData("The request data should be an object.");
  if (!("data" in parsed)) throw apiErrors.requestData("The primary data object should exist", "/data");
  return parsed as Record<string, unknown>;
}

/** Renders the written record with `included` for the response of create/update. */
function respondWithRecord(env: ApiEnv, request: ApiRequest, record: StoredRecord, status: number, headers: Record<string, string> = {}): void {
  const query = parseQuery(request.url, request.def, "item");
  const render = { ...request.render, fields: query.fields };
  const body: Record<string, unknown> = { data: renderRecord(record, request.def, render) };
  const included = collectIncluded([record], query.include, env.store, env.defs, render);
  if (included.length > 0) body.included = included;
  sendDocument(request.res, status, body, headers);
}

/**
 * POST (create, or upsert with `meta.upsert`) and PATCH of one resource. 201 + `Location` on create,
 * 200 (no Location) on update (docs/reference/oro-api.md §2, §4; SetLocationHeader.php).
 */
export async function handleWrite(env: ApiEnv, request: ApiRequest, mode: WriteMode): Promise<void> {
  const document = await readDocument(request);
  const result = env.store.transaction(() => writeDocument(env, request.def, document.data, document.included, mode));
  env.webhooks.emit(result.record, result.created ? "created" : "updated");
  if (result.created) {
    respondWithRecord(env, request, result.record, 201, { Location: resourceUrl(request.baseUrl, request.def.type, result.record.id) });
  } else {
    respondWithRecord(env, request, result.record, 200);
  }
}

/** `DELETE /admin/api/{type}/{id}` -> 204. */
export function handleDelete(env: ApiEnv, request: ApiRequest, id: string): void {
  const record = env.store.mustTable(request.def.type).get(id);
  if (!record) throw apiErrors.notFound();
  env.store.transaction(() => deleteCascading(env, record));
  sendDocument(request.res, 204, null);
}

/**
 * `DELETE /admin/api/{type}?filter...`: a filter is required (400 otherwise), at most 100 rows go per
 * request, `X-Include: deletedCount` / `totalCount` headers (doc@6.1:api/http-methods.md, docs/reference/oro-api.md §3).
 */
export function handleDeleteList(env: ApiEnv, request: ApiRequest): void {
  const query = parseQuery(request.url, request.def, "delete_list");
  if (query.filters.length === 0) throw apiErrors.filter("filter", "At least one filter must be provided.");
  checkRequiredFilters(request, query);
  const table = env.store.mustTable(request.def.type);
  const rows = sortRows(selectRows(table, query.filters), query, request.def.idStrategy === "sequence", false);
  const doomed = rows.slice(0, MAX_DELETE_ENTITIES);
  env.store.transaction(() => doomed.forEach((record) => deleteCascading(env, record)));
  const headers: Record<string, string> = {};
  if (request.xInclude.has("totalCount")) headers["X-Include-Total-Count"] = String(rows.length);
  if (request.xInclude.has("deletedCount")) headers["X-Include-Deleted-Count"] = String(doomed.length);
  sendDocument(request.res, 204, null, headers);
}
