import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../common";
import { ErpErrorCode, ErpOrderSchema } from "../../shared/integrations/erp";
import type { ErpFieldError, ErpOrder } from "../../shared/integrations/erp";
import { fingerprint } from "./state";
import type { ErpState, OrderRequestLogEntry } from "./state";

/** `{ error: { code, message, fields? } }`, the contract's error body. */
export const errorBody = (code: string, message: string, fields?: ErpFieldError[]) => ({ error: { code, message, ...(fields ? { fields } : {}) } });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "") || "(body)";

/** Contract validation plus the ERP's own rule: every line's SKU must be a known item (when a catalog is set). */
function validate(state: ErpState, body: unknown): { order?: ErpOrder; fields: ErpFieldError[] } {
  const parsed = ErpOrderSchema.safeParse(body);
  if (!parsed.success) return { fields: parsed.error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })) };
  const known = new Set(state.behaviour.knownSkus);
  const fields =
    known.size === 0
      ? []
      : parsed.data.lines.flatMap((line, index) => (known.has(line.sku) ? [] : [{ field: `lines[${index}].sku`, message: `unknown item "${line.sku}"` }]));
  return { order: parsed.data, fields };
}

/**
 * `POST /orders` (docs/erp-contract.md): Idempotency-Key required; same key + same body replays
 * the first answer (201 becomes 200 + `Idempotent-Replayed: true`); same key + other body -> 422
 * `idempotency_key_reused`; same key still processing -> 409 `request_in_progress`; a shop order
 * the ERP already has under another key -> 409 `duplicate_order` with its `orderNumber`.
 */
export async function createOrder(state: ErpState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const key = (req.headers["idempotency-key"] as string | undefined)?.trim() || null;
  const log = (entry: Omit<OrderRequestLogEntry, "idempotencyKey" | "at" | "sourceOrderId">, sourceOrderId: string | null = null) =>
    state.orderRequests.push({ idempotencyKey: key, sourceOrderId, at: new Date().toISOString(), ...entry });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    log({ status: 400, outcome: "rejected" });
    return sendJson(res, 400, errorBody("invalid_json", "The request body is not JSON."));
  }
  const sourceOrderId = (body as { source?: { orderId?: unknown } } | null)?.source?.orderId;
  const source = typeof sourceOrderId === "string" ? sourceOrderId : null;
  if (!key) {
    log({ status: 400, outcome: "rejected" }, source);
    return sendJson(res, 400, errorBody(ErpErrorCode.idempotencyKeyMissing, "POST /orders needs an Idempotency-Key header (at most 255 characters)."));
  }
  if (key.length > 255) {
    log({ status: 400, outcome: "rejected" }, source);
    return sendJson(res, 400, errorBody(ErpErrorCode.idempotencyKeyMissing, "Idempotency-Key is longer than 255 characters."));
  }

  const print = fingerprint(body);
  const seen = state.idempotency.get(key);
  if (seen) {
    if (seen.fingerprint !== print) {
      log({ status: 422, outcome: "key_reused" }, source);
      return sendJson(res, 422, errorBody(ErpErrorCode.idempotencyKeyReused, `Idempotency-Key "${key}" was used with a different request body.`));
    }
    if (seen.state === "in_progress" || !seen.response) {
      log({ status: 409, outcome: "in_progress" }, source);
      return sendJson(res, 409, errorBody(ErpErrorCode.requestInProgress, `A request with Idempotency-Key "${key}" is still being processed.`), {
        "Retry-After": "1",
      });
    }
    const replayStatus = seen.response.status === 201 ? 200 : seen.response.status;
    const number = (seen.response.body as { orderNumber?: string }).orderNumber;
    log({ status: replayStatus, outcome: "replayed", ...(number ? { orderNumber: number } : {}) }, source);
    return sendJson(res, replayStatus, seen.response.body, { "Idempotent-Replayed": "true" });
  }

  const record = { key, fingerprint: print, state: "in_progress" as const, createdAt: new Date().toISOString() };
  state.idempotency.set(key, record);
  if (state.behaviour.orderProcessingMs > 0) await sleep(state.behaviour.orderProcessingMs);

  const { order, fields } = validate(state, body);
  if (!order || fields.length > 0) {
    // Validation failures are not remembered: the client may fix the body and try the key again.
    state.idempotency.delete(key);
    log({ status: 422, outcome: "rejected" }, source);
    return sendJson(res, 422, errorBody(ErpErrorCode.validationFailed, "The order has invalid fields.", fields));
  }

  const sourceKey = `${order.source.system}\u0000${order.source.orderId}`;
  const existing = state.bySource.get(sourceKey);
  if (existing) {
    const response = {
      status: 409,
      body: {
        ...errorBody(ErpErrorCode.duplicateOrder, `Order ${order.source.orderId} of ${order.source.system} already exists as ${existing}.`),
        orderNumber: existing,
      },
    };
    state.idempotency.set(key, { ...record, state: "completed", response });
    log({ status: 409, outcome: "duplicate", orderNumber: existing }, source);
    return sendJson(res, 409, response.body);
  }

  const orderNumber = state.nextOrderNumber();
  const createdAt = new Date().toISOString();
  state.orders.set(orderNumber, { orderNumber, status: "accepted", order, idempotencyKey: key, createdAt });
  state.bySource.set(sourceKey, orderNumber);
  const response = { status: 201, body: { orderNumber, status: "accepted", externalOrderNumber: order.externalOrderNumber, source: order.source, createdAt } };
  state.idempotency.set(key, { ...record, state: "completed", response });
  if (state.behaviour.lostResponses > 0) {
    // Committed, but the client never hears back: only the Idempotency-Key saves it from a duplicate.
    state.behaviour.lostResponses -= 1;
    log({ status: 0, outcome: "response_lost", orderNumber }, source);
    req.socket.destroy();
    return;
  }
  log({ status: 201, outcome: "created", orderNumber }, source);
  sendJson(res, 201, response.body, { Location: `/orders/${orderNumber}` });
}

/** `GET /orders/{number}`. */
export function getOrder(state: ErpState, res: ServerResponse, number: string): void {
  const record = state.orders.get(number);
  if (!record) return sendJson(res, 404, errorBody(ErpErrorCode.notFound, `No order ${number}.`));
  sendJson(res, 200, { orderNumber: record.orderNumber, status: record.status, createdAt: record.createdAt, ...record.order });
}

/** `GET /orders?sourceSystem=&sourceOrderId=`: the ERP order of a shop order, if any. */
export function findOrders(state: ErpState, res: ServerResponse, url: URL): void {
  const system = url.searchParams.get("sourceSystem");
  const id = url.searchParams.get("sourceOrderId");
  const items = [...state.orders.values()]
    .filter((o) => (system === null || o.order.source.system === system) && (id === null || o.order.source.orderId === id))
    .map((o) => ({
      orderNumber: o.orderNumber,
      status: o.status,
      externalOrderNumber: o.order.externalOrderNumber,
      source: o.order.source,
      createdAt: o.createdAt,
    }));
  sendJson(res, 200, { items });
}
