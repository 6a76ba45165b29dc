import { bodyExcerpt, request } from "../../http";
import type { HttpResponse, RetryOptions } from "../../http";
import type { SettingsProvider } from "../../connector";
import { ValidationError } from "../../errors";
import { redact } from "../../observability";
import { ErpErrorBodySchema, ErpErrorCode, ErpOrderAcceptedSchema, ErpOrderSchema, ErpStockPageSchema } from "./contract";
import type { ErpErrorBody, ErpOrder, ErpStockPage } from "./contract";
import { ErpAuthError, ErpIdempotencyConflictError, ErpRequestError, ErpResponseError, ErpValidationError } from "./errors";
import type { ErpSettings } from "./settings";

/** Tuning of an {@link ErpClient}; every field defaults to the shared transport's value. */
export interface ErpClientOptions {
  /** In-call retries of 429/5xx/network errors (the transport's default: 4 attempts, 200 ms base, `Retry-After` up to 20 s). */
  retry?: RetryOptions;
  /** Budget of one HTTP attempt. Default the transport's (60 s). */
  timeoutMs?: number;
}

/** How `POST /orders` ended: a new ERP order, a replay of the same key, or the order the ERP already had. */
export interface ErpOrderOutcome {
  orderNumber: string;
  outcome: "created" | "replayed" | "duplicate";
}

/** Query of `GET /stock` (docs/erp-contract.md). */
export interface ErpStockQuery {
  /** Inclusive lower bound of `updatedAt` (ISO 8601). Default: no bound (everything). */
  updatedFrom?: string;
  /** Exclusive upper bound of `updatedAt`. Default: no bound. */
  updatedTo?: string;
  /** Cursor from the previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, at most 1,000. Default the ERP's (200). */
  limit?: number;
}

/**
 * Client of the generic ERP REST contract (docs/erp-contract.md). One funnel: the API key from
 * the integration secret as a bearer token (reloaded once on 401, for rotation), the shared
 * transport (pool capped at `maxConnections`, retries honouring `Retry-After`), and the
 * contract's error codes turned into typed errors.
 *
 * @example
 * const erp = new ErpClient(settings);
 * const { orderNumber } = await erp.createOrder(order, { idempotencyKey: "oro-order:12:abc", signal });
 */
export class ErpClient {
  constructor(
    private readonly settings: SettingsProvider<ErpSettings>,
    private readonly options: ErpClientOptions = {},
  ) {}

  /**
   * `POST /orders` with an `Idempotency-Key`. The key makes the POST safe to repeat, so the
   * transport retries it in-call after a timeout or a 5xx. A 409 `duplicate_order` (the ERP has
   * this shop order under another key) is a success carrying the existing order number.
   * Raises {@link ValidationError} before sending when the body breaks the contract,
   * {@link ErpValidationError} for a 422, {@link ErpIdempotencyConflictError} for a reused key.
   */
  async createOrder(order: ErpOrder, options: { idempotencyKey: string; signal?: AbortSignal }): Promise<ErpOrderOutcome> {
    const checked = ErpOrderSchema.safeParse(order);
    if (!checked.success) {
      const fields = checked.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
      throw new ValidationError(`order ${order.externalOrderNumber ?? "?"} does not meet the ERP contract: ${fields.join("; ")}`, {
        code: "ERP_CONTRACT",
        externalId: order.externalOrderNumber,
        details: { fields },
      });
    }
    const what = `order ${order.externalOrderNumber}`;
    const res = await this.call({
      method: "POST",
      path: "orders",
      body: order,
      headers: { "idempotency-key": options.idempotencyKey },
      signal: options.signal,
    });
    if (res.status === 200 || res.status === 201) {
      const accepted = ErpOrderAcceptedSchema.safeParse(parseJson(res, "POST /orders"));
      if (!accepted.success)
        throw new ErpResponseError(`ERP answered POST /orders with HTTP ${res.status} but no orderNumber: check baseUrl points at the ERP API.`);
      return { orderNumber: accepted.data.orderNumber, outcome: res.status === 201 ? "created" : "replayed" };
    }
    const body = errorBody(res);
    if (res.status === 409 && body?.error.code === ErpErrorCode.duplicateOrder && body.orderNumber)
      return { orderNumber: body.orderNumber, outcome: "duplicate" };
    if (res.status === 409)
      throw new ErpResponseError(
        `ERP is still processing an earlier request with Idempotency-Key "${options.idempotencyKey}" (409 ${body?.error.code ?? ""}); retrying later.`,
        { code: "ERP_IN_PROGRESS" },
      );
    if (res.status === 422 && body?.error.code === ErpErrorCode.idempotencyKeyReused)
      throw new ErpIdempotencyConflictError(options.idempotencyKey, { externalId: order.externalOrderNumber });
    if (res.status === 422)
      throw new ErpValidationError(what, body?.error.fields ?? [{ field: "(order)", message: body?.error.message ?? "validation failed" }], {
        externalId: order.externalOrderNumber,
      });
    throw unexpected("POST /orders", res, body);
  }

  /** `GET /stock`: one page of stock levels changed in `[updatedFrom, updatedTo)`, oldest first. */
  async listStock(query: ErpStockQuery, options: { signal?: AbortSignal } = {}): Promise<ErpStockPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(name, String(value));
    const res = await this.call({ method: "GET", path: "stock", query: params.toString(), signal: options.signal });
    if (res.status !== 200) throw unexpected("GET /stock", res, errorBody(res));
    const page = ErpStockPageSchema.safeParse(parseJson(res, "GET /stock"));
    if (!page.success) throw new ErpResponseError("ERP answered GET /stock without an items array: check baseUrl points at the ERP API.");
    return page.data;
  }

  /** The funnel: auth header, transport, one secret reload on 401. */
  private async call(call: {
    method: string;
    path: string;
    query?: string;
    body?: object;
    headers?: Record<string, string>;
    signal?: AbortSignal | undefined;
  }): Promise<HttpResponse> {
    let settings = await this.settings();
    for (let attempt = 1; ; attempt += 1) {
      const base = settings.baseUrl.replace(/\/+$/, "");
      const res = await request({
        url: `${base}/${call.path}${call.query ? `?${call.query}` : ""}`,
        method: call.method,
        headers: { accept: "application/json", authorization: `Bearer ${settings.apiKey}`, ...call.headers },
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(call.signal ? { signal: call.signal } : {}),
        // GETs are safe anyway; a POST /orders carries an Idempotency-Key, so a repeat is answered from the ERP's record.
        retrySafe: true,
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
        ...(settings.maxConnections === undefined ? {} : { maxConnections: settings.maxConnections }),
        secrets: [settings.apiKey],
      });
      if (res.status !== 401) return res;
      if (attempt > 1)
        throw new ErpAuthError(`ERP answered 401 to ${call.method} /${call.path} even after reloading the integration secret: update apiKey in the secret.`);
      // The key may have been rotated since the secret was cached: reload it once.
      settings = await this.settings({ forceRefresh: true });
    }
  }
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "") || "(order)";

const parseJson = (res: HttpResponse, what: string): unknown => {
  try {
    return JSON.parse(res.body);
  } catch {
    throw new ErpResponseError(`ERP answered ${what} with HTTP ${res.status} and a body that is not JSON: check baseUrl points at the ERP API.`);
  }
};

const errorBody = (res: HttpResponse): ErpErrorBody | undefined => {
  try {
    const parsed = ErpErrorBodySchema.safeParse(JSON.parse(res.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** Characters of the ERP's error text kept in an error message. */
const REASON_CHARS = 200;

const unexpected = (what: string, res: HttpResponse, body: ErpErrorBody | undefined): Error => {
  // Redacted (registered values, then credential shapes) before it is cut: a cut secret is unrecognisable.
  const reason = bodyExcerpt(redact(body ? `${body.error.code}: ${body.error.message}` : res.body), REASON_CHARS);
  if (res.status >= 400 && res.status < 500) return new ErpRequestError(`ERP answered ${what} with HTTP ${res.status} (${reason}).`, res.status);
  return new ErpResponseError(`ERP answered ${what} with unexpected HTTP ${res.status} (${reason}).`);
};
