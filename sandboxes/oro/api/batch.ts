import { apiErrors, ApiError, errorObject } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import { renderRecord, resourceUrl } from "../jsonapi/document";
import { formatDateTime } from "../jsonapi/values";
import type { Ref, StoredRecord } from "../model";
import type { ApiEnv, ApiRequest, AsyncOperationError, BatchControls } from "./context";
import { sendDocument } from "./context";
import { readDocument } from "./mutate";
import { statusOf, writeDocument } from "./write";

/** Batch limits (platform@6.1 ApiBundle Configuration.php `batch_api`, docs/reference/oro-api.md §5). */
export const BATCH_CHUNK_SIZE = 100;
export const SYNC_LIMIT = 100;
export const SYNC_INCLUDED_LIMIT = 50;

/** Oro's text for a request whose splitting failed (platform 6.1.11 Batch/Async/UpdateListProcessingHelper.php getFileSplitterFailureErrorMessage). */
export const DEFAULT_ASYNC_FAILURE = "Failed to parse the data file.";

/** Batch test controls switched off (README "Differs from Oro on purpose"). */
export const noBatchControls = (): BatchControls => ({ syncOverWait: 0, asyncEnd: { status: "failed", count: 0, detail: DEFAULT_ASYNC_FAILURE } });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The included items an item refers to, transitively, with their original indexes. */
function includedFor(item: unknown, included: unknown[]): { items: unknown[]; pointers: string[] } {
  const byKey = new Map<string, number>();
  included.forEach((inc, index) => {
    if (isObject(inc)) byKey.set(`${String(inc.type)}:${String(inc.id)}`, index);
  });
  const picked = new Set<number>();
  const visit = (object: unknown) => {
    if (!isObject(object) || !isObject(object.relationships)) return;
    for (const rel of Object.values(object.relationships)) {
      const data = isObject(rel) ? rel.data : undefined;
      for (const ref of Array.isArray(data) ? data : data ? [data] : []) {
        if (!isObject(ref)) continue;
        const index = byKey.get(`${String(ref.type)}:${String(ref.id)}`);
        if (index === undefined || picked.has(index)) continue;
        picked.add(index);
        visit(included[index]);
      }
    }
  };
  visit(item);
  const indexes = [...picked].sort((a, b) => a - b);
  return { items: indexes.map((i) => included[i]), pointers: indexes.map((i) => `/included/${i}`) };
}

function errorsOf(error: unknown): ErrorObject[] {
  if (error instanceof ApiError) return error.errors.length > 0 ? error.errors : [errorObject(error.status, "request data constraint", error.message)];
  return [errorObject(500, "unexpected error", error instanceof Error ? error.message : String(error))];
}

/**
 * The action a batch item runs: update with `meta.update` or `meta.upsert: true`, else create
 * (platform 6.1.11 Batch/Processor/UpdateItem/JsonApi/SetTargetAction.php).
 */
function targetAction(item: unknown): "create" | "update" {
  const meta = isObject(item) && isObject(item.meta) ? item.meta : {};
  return meta.update === true || meta.upsert === true || (Array.isArray(meta.upsert) && meta.upsert.length === 1 && meta.upsert[0] === "id")
    ? "update"
    : "create";
}

/** Writes item `index` of a batch; returns the stored record. */
function writeItem(env: ApiEnv, request: ApiRequest, item: unknown, included: unknown[], index: number): { record: StoredRecord; created: boolean } {
  const action = targetAction(item);
  if (!request.def.actions.includes(action)) {
    // A disabled action per item: 405 at the item (InventoryLevelUpdateListTest.php testTryToCreateInventoryLevels).
    throw new ApiError(405, [errorObject(405, "action not allowed exception", `The "${action}" action is not allowed.`, { pointer: `/data/${index}` })]);
  }
  const { items, pointers } = includedFor(item, included);
  return writeDocument(env, request.def, item, items, { kind: "batch" }, `/data/${index}`, "/included", pointers);
}

/**
 * `PATCH /admin/api/{type}` with `data[]`: async (202 + `Content-Location` + asyncoperations) or,
 * with `X-Mode: sync`, atomic and ordered (200, max 100 items / 50 included).
 * Sources: doc@6.1:api/batch-api.md, api/sync-batch-api.md; platform@6.1 UpdateList processors.
 */
export async function handleBatch(env: ApiEnv, request: ApiRequest): Promise<void> {
  const mode = (request.req.headers["x-mode"] as string | undefined) ?? "async";
  if (mode !== "sync" && mode !== "async")
    throw apiErrors.validation([errorObject(400, "value constraint", `The "X-Mode" header value must be "sync" or "async". Given "${mode}".`)]);
  const document = await readDocument(request);
  const data = document.data;
  if (!Array.isArray(data)) throw apiErrors.requestData("The primary data object collection should be an array", "/data");
  const included = Array.isArray(document.included) ? document.included : [];
  if (mode === "sync") return runSync(env, request, data, included);
  return startAsync(env, request, data, included);
}

function runSync(env: ApiEnv, request: ApiRequest, data: unknown[], included: unknown[]): void {
  if (data.length > SYNC_LIMIT) {
    throw apiErrors.requestData(
      `The data limit for the synchronous operation exceeded. The maximum number of records that can be processed by the synchronous operation is ${SYNC_LIMIT}.`,
    );
  }
  if (included.length > SYNC_INCLUDED_LIMIT) {
    throw apiErrors.requestData(
      `The included data limit for the synchronous operation exceeded. The maximum number of included records that can be processed by the synchronous operation is ${SYNC_INCLUDED_LIMIT}.`,
    );
  }
  if (env.batchControls.syncOverWait > 0) {
    // Past sync_processing_wait_timeout Oro answers as for an async request (ProcessSynchronousOperation.php).
    env.batchControls.syncOverWait -= 1;
    return startAsync(env, request, data, included);
  }
  const results = env.store.transaction(() => {
    const errors: ErrorObject[] = [];
    const written: Array<{ record: StoredRecord; created: boolean; requestId: unknown }> = [];
    data.forEach((item, index) => {
      try {
        written.push({ ...writeItem(env, request, item, included, index), requestId: isObject(item) ? item.id : undefined });
      } catch (error) {
        errors.push(...errorsOf(error));
      }
    });
    // The status of all item errors together, as Oro computes it (a 409 among 4xx wins).
    if (errors.length > 0) throw new ApiError(statusOf(errors), errors);
    return written;
  });
  for (const result of results) env.webhooks.emit(result.record, result.created ? "created" : "updated");
  sendDocument(request.res, 200, {
    data: results.map(({ record, requestId }) => {
      const object = renderRecord(record, request.def, request.render);
      // meta.dataId echoes the id the request used for this item (sync-batch-api.md).
      return requestId === undefined ? object : { ...object, meta: { dataId: String(requestId) } };
    }),
  });
}

function startAsync(env: ApiEnv, request: ApiRequest, data: unknown[], included: unknown[]): void {
  const operations = env.store.mustTable("asyncoperations");
  const now = formatDateTime();
  const operation: StoredRecord = {
    type: "asyncoperations",
    id: operations.nextId(),
    attributes: { status: "new", progress: null, createdAt: now, updatedAt: now, elapsedTime: 0, entityType: request.def.type, summary: null },
    relationships: { owner: { type: "users", id: "1" } as Ref, organization: { type: "organizations", id: "1" } as Ref },
  };
  operations.put(operation);
  env.asyncErrors.set(operation.id, []);
  const started = Date.now();
  const update = (attributes: Record<string, unknown>) => {
    const current = operations.get(operation.id);
    if (current)
      operations.put({
        ...current,
        attributes: { ...current.attributes, ...attributes, updatedAt: formatDateTime(), elapsedTime: Math.round((Date.now() - started) / 1000) },
      });
  };
  const counts = { readCount: data.length, writeCount: 0, errorCount: 0, createCount: 0, updateCount: 0 };
  const errors = env.asyncErrors.get(operation.id) ?? [];
  const end = env.batchControls.asyncEnd;
  if (end.count > 0) {
    end.count -= 1;
    const { status, detail } = end;
    setTimeout(() => {
      if (status === "failed") {
        // AsyncOperationManager::markAsFailed: straight from new, one error at chunk 0, nothing read.
        update({ status: "failed", summary: { aggregateTime: 0, readCount: 0, writeCount: 0, errorCount: 1, createCount: 0, updateCount: 0 } });
        errors.push({ id: `${operation.id}-0-1`, status: 400, title: "async operation exception", detail });
        return;
      }
      // JobListener: the root job runs, then is cancelled; only the status changes.
      update({ status: "running", progress: 0 });
      setTimeout(() => update({ status: "cancelled" }), env.asyncDelayMs);
    }, env.asyncDelayMs);
    return sendAccepted(request, env, operation);
  }
  /** One `oro.api.update_list.process_chunk` message: the items of chunk `chunk` (0-based). */
  const processChunk = (chunk: number) => {
    let n = 0;
    for (let index = chunk * BATCH_CHUNK_SIZE; index < Math.min(data.length, (chunk + 1) * BATCH_CHUNK_SIZE); index += 1) {
      try {
        const result = env.store.transaction(() => writeItem(env, request, data[index], included, index));
        counts.writeCount += 1;
        if (result.created) counts.createCount += 1;
        else counts.updateCount += 1;
        env.webhooks.emit(result.record, result.created ? "created" : "updated");
      } catch (error) {
        counts.errorCount += 1;
        for (const e of errorsOf(error)) {
          n += 1;
          const entry: AsyncOperationError = { id: `${operation.id}-${chunk + 1}-${n}`, status: Number(e.status), title: e.title, detail: e.detail };
          if (e.source?.pointer) entry.source = { pointer: e.source.pointer };
          errors.push(entry);
        }
      }
    }
  };
  // Processing time modelled on Oro's message queue (sandboxes/oro/README.md "Async batch timing"):
  // `oro.api.update_list` splits the request into chunks of 100 (asyncDelayMs), the chunks'
  // `process_chunk` messages run `asyncConsumers` at a time, `asyncChunkMs` each, then
  // `oro.api.update_list.finish` writes the summary (asyncDelayMs). With asyncChunkMs 0 every
  // chunk is written at once when the operation leaves "running".
  const chunks = Math.ceil(data.length / BATCH_CHUNK_SIZE);
  const consumers = Math.max(1, env.asyncConsumers);
  const waves = Math.ceil(chunks / consumers);
  const fail = () => update({ status: "failed", progress: 1, summary: { aggregateTime: Date.now() - started, ...counts } });
  // Item errors do not fail the operation (batch-api.md example: success with errorCount > 0).
  const finish = () => update({ status: "success", progress: 1, summary: { aggregateTime: Date.now() - started, ...counts } });
  let wave = 0;
  const runWave = () => {
    try {
      for (let chunk = wave * consumers; chunk < Math.min(chunks, (wave + 1) * consumers); chunk += 1) processChunk(chunk);
    } catch {
      return fail();
    }
    wave += 1;
    if (wave < waves) {
      update({ progress: wave / waves });
      setTimeout(runWave, env.asyncChunkMs);
    } else setTimeout(finish, env.asyncDelayMs);
  };
  setTimeout(() => {
    update({ status: "running", progress: 0 });
    setTimeout(
      () => {
        if (env.asyncChunkMs > 0) return runWave();
        try {
          for (let chunk = 0; chunk < chunks; chunk += 1) processChunk(chunk);
        } catch {
          return fail();
        }
        finish();
      },
      env.asyncChunkMs > 0 ? env.asyncChunkMs : env.asyncDelayMs,
    );
  }, env.asyncDelayMs);
  sendAccepted(request, env, operation);
}

/** 202 with the operation and its `Content-Location` (Processor/UpdateList/SetContentLocationHeader.php). */
function sendAccepted(request: ApiRequest, env: ApiEnv, operation: StoredRecord): void {
  const location = resourceUrl(request.baseUrl, "asyncoperations", operation.id);
  sendDocument(
    request.res,
    202,
    { data: renderRecord(operation, env.defs.get("asyncoperations") ?? request.def, request.render) },
    { "Content-Location": location },
  );
}
