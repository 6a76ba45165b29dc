import type { ServerResponse } from "node:http";
import { sendJson } from "../common";
import { DEFAULT_STOCK_PAGE_LIMIT, ErpErrorCode, MAX_STOCK_PAGE_LIMIT } from "../../shared/integrations/erp";
import type { ErpStockLevel } from "../../shared/integrations/erp";
import { errorBody } from "./orders";
import { stockKey } from "./state";
import type { ErpState } from "./state";

/** What a cursor remembers: the window it belongs to and the last level served. */
interface Cursor {
  from: string | null;
  to: string | null;
  /** `updatedAt` and identity key of the last level of the previous page. */
  at: string;
  key: string;
}

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString("base64url");
const decode = (text: string): Cursor | undefined => {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Cursor;
    return typeof value.at === "string" && typeof value.key === "string" ? value : undefined;
  } catch {
    return undefined;
  }
};

const compare = (a: ErpStockLevel, b: { at: string; key: string }): number => {
  const t = Date.parse(a.updatedAt) - Date.parse(b.at);
  if (t !== 0) return t;
  const k = stockKey(a);
  return k < b.key ? -1 : k > b.key ? 1 : 0;
};

const parseTime = (value: string | null): number | null | undefined => {
  if (value === null || value === "") return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
};

/**
 * `GET /stock?updatedFrom=&updatedTo=&cursor=&limit=`: levels with `updatedFrom <= updatedAt <
 * updatedTo`, ordered by `(updatedAt, sku, unit, warehouse)`, keyset-paged: the cursor holds the
 * last level served, so levels changing while a client pages move to a later page instead of
 * shifting offsets. A cursor only works with the window it was issued for (400 otherwise).
 */
export function listStock(state: ErpState, res: ServerResponse, url: URL): void {
  const params = url.searchParams;
  const from = parseTime(params.get("updatedFrom"));
  const to = parseTime(params.get("updatedTo"));
  if (from === undefined || to === undefined)
    return sendJson(res, 400, errorBody(ErpErrorCode.invalidQuery, "updatedFrom and updatedTo must be ISO 8601 date-times, e.g. 2026-01-01T00:00:00Z."));
  const limitText = params.get("limit");
  const limit = limitText === null ? DEFAULT_STOCK_PAGE_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STOCK_PAGE_LIMIT) {
    return sendJson(res, 400, errorBody(ErpErrorCode.invalidQuery, `limit must be an integer from 1 to ${MAX_STOCK_PAGE_LIMIT}.`));
  }
  const cursorText = params.get("cursor");
  const cursor = cursorText ? decode(cursorText) : undefined;
  if (cursorText && (!cursor || cursor.from !== params.get("updatedFrom") || cursor.to !== params.get("updatedTo"))) {
    return sendJson(res, 400, errorBody(ErpErrorCode.invalidQuery, "cursor is invalid or belongs to another updatedFrom/updatedTo window."));
  }
  const matching = [...state.stock.values()]
    .filter((level) => {
      const time = Date.parse(level.updatedAt);
      return (from === null || time >= from) && (to === null || time < to) && (!cursor || compare(level, cursor) > 0);
    })
    .sort((a, b) => compare(a, { at: b.updatedAt, key: stockKey(b) }));
  const items = matching.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    matching.length > limit && last ? encode({ from: params.get("updatedFrom"), to: params.get("updatedTo"), at: last.updatedAt, key: stockKey(last) }) : null;
  sendJson(res, 200, { items, nextCursor });
}
