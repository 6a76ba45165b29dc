/**
 * JSON:API error documents as Oro builds them: `status` is a string, `title` the lower-cased
 * constraint/exception name, `source` has `pointer` (body) or `parameter` (query).
 * Source: platform@6.1:src/Oro/Bundle/ApiBundle/Request/JsonApi/JsonApiDocumentBuilder.php (docs/reference/oro-api.md §6).
 */
export interface ErrorObject {
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

/** Thrown by request processing; the router turns it into an error response. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly errors: ErrorObject[],
    /** Extra headers, e.g. `Allow` on 405. */
    readonly headers: Record<string, string> = {},
    /** 401/405 answer with an empty body (ErrorStatusCodesWithoutContentTrait). */
    readonly emptyBody = false,
  ) {
    super(errors.map((e) => `${e.title}: ${e.detail}`).join("; ") || `HTTP ${status}`);
  }
}

/** One error object. */
export function errorObject(status: number, title: string, detail: string, source?: ErrorObject["source"]): ErrorObject {
  return source ? { status: String(status), title, detail, source } : { status: String(status), title, detail };
}

/** 400 validation error at a body pointer, e.g. `/data/attributes/sku`. */
export function validationError(title: string, detail: string, pointer?: string): ErrorObject {
  return errorObject(400, title, detail, pointer === undefined ? undefined : { pointer });
}

export const NOT_BLANK = "This value should not be blank.";

/** Shorthands for the errors Oro answers most. Sources: docs/reference/oro-api.md §3, §6. */
export const apiErrors = {
  /** 400 filter constraint on a query parameter. */
  filter: (parameter: string, detail: string) => new ApiError(400, [errorObject(400, "filter constraint", detail, { parameter })]),
  unknownFilter: (parameter: string) =>
    // NormalizeFilterValues.php: the detail names no filter, the parameter does.
    new ApiError(400, [errorObject(400, "filter constraint", "The filter is not supported.", { parameter })]),
  badValue: (parameter: string, detail: string) => new ApiError(400, [errorObject(400, "unexpected value exception", detail, { parameter })]),
  validation: (errors: ErrorObject[]) => new ApiError(400, errors),
  requestData: (detail: string, pointer?: string) =>
    new ApiError(400, [errorObject(400, "request data constraint", detail, pointer === undefined ? undefined : { pointer })]),
  notFound: () => new ApiError(404, [errorObject(404, "not found http exception", "An entity with the requested identifier does not exist.")]),
  resourceNotAccessible: () => new ApiError(404, [errorObject(404, "resource not accessible exception", "The resource is not accessible.")]),
  conflict: (title: string, detail: string, pointer?: string) =>
    new ApiError(409, [errorObject(409, title, detail, pointer === undefined ? undefined : { pointer })]),
  methodNotAllowed: (allow: string[]) => new ApiError(405, [], { Allow: allow.join(", ") }, true),
  /**
   * 401, empty body. Without credentials Oro's ApiEntryPoint answers `WWW-Authenticate: Basic`
   * (platform 6.1.11 Security/Http/EntryPoint/ApiEntryPoint.php); a rejected bearer token goes
   * through OAuth2Authenticator::onAuthenticationFailure, which answers `Response('', 401, [])`:
   * no header at all (oauth2-server 6.1.8 Security/Authenticator/OAuth2Authenticator.php).
   */
  unauthorized: (credentialsSent: boolean) => new ApiError(401, [], credentialsSent ? {} : { "WWW-Authenticate": "Basic" }, true),
};
