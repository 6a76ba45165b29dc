import type { ServerResponse } from "node:http";
import { sendJson } from "../common";

/**
 * Akeneo's error body: `{ "code": <status>, "message": "..." }` (pim-api-docs
 * content/rest-api/responses.md), optionally with `_links.documentation`.
 */
export const sendError = (
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void => sendJson(res, status, { code: status, message, ...extra }, headers);

/** A request Akeneo refuses: status + message (thrown inside a handler, answered by the router). */
export class AkeneoHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Where Akeneo's error links point (pim-community-dev Tool/Bundle/ApiBundle/Documentation.php URL_DOCUMENTATION). */
export const DOCUMENTATION_URL = "http://api.akeneo.com/documentation/";

/** PHP `rawurlencode`: RFC 3986, so `!'()*` are encoded too (encodeURIComponent leaves them). */
const rawUrlEncode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Characters Symfony's UrlGenerator decodes back in a query string (`QUERY_FRAGMENT_DECODED`). */
const QUERY_DECODED: Record<string, string> = { "%2F": "/", "%3F": "?", "%40": "@", "%3A": ":", "%21": "!", "%3B": ";", "%2C": ",", "%2A": "*" };

/**
 * The query string Symfony's router builds for a link: `http_build_query(..., PHP_QUERY_RFC3986)`
 * over the parameters in order, null values left out, then `QUERY_FRAGMENT_DECODED` applied. The
 * links of a listing are built this way from the request's parameters (OffsetHalPaginator /
 * SearchAfterHalPaginator), not copied from the request URL.
 */
export const phpQuery = (params: ReadonlyArray<readonly [string, string | number | null | undefined]>): string =>
  params
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${rawUrlEncode(k)}=${rawUrlEncode(String(v))}`)
    .join("&")
    .replace(/%(2F|3F|40|3A|21|3B|2C|2A)/g, (m) => QUERY_DECODED[m] ?? m);

/** PHP `json_encode` with default flags: `/` escaped as `\/`, non-ASCII as `\uXXXX` (the `search` echoed in links). */
export const phpJsonEncode = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** PHP `gettype` names, used in Akeneo's type errors (`"integer"`, `"boolean"`, `"array"`, `"NULL"`...). */
export const phpType = (value: unknown): string => {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "double";
  if (typeof value === "string") return "string";
  return "array";
};

/** PHP's `strval($x) === strval(intval($x))` for a query parameter (PaginationParametersValidator::isInteger). */
export const isPhpInteger = (raw: string): boolean => /^-?\d+$/.test(raw) && String(Number.parseInt(raw, 10)) === raw;

/** The properties of a `search` query parameter; 400 with Akeneo's text when it is not a JSON object or array. */
export const searchEntries = (raw: string): Array<[string, unknown]> => {
  let search: unknown;
  try {
    search = JSON.parse(raw);
  } catch {
    search = null;
  }
  if (typeof search !== "object" || search === null) throw new AkeneoHttpError(400, "Search query parameter should be valid JSON.");
  return Object.entries(search as Record<string, unknown>);
};
