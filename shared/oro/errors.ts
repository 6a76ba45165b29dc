import { AuthError, PermanentError, TransientError, ValidationError } from "../errors";
import type { ConnectorError, ConnectorErrorOptions } from "../errors";
import type { OroErrorObject } from "./jsonapi";

/** What an Oro API error is about: safe to log (no headers, no tokens). */
export interface OroErrorContext {
  /** HTTP status Oro answered. */
  status: number;
  method: string;
  /** Path of the request without its query string (filter values stay out of errors), e.g. `/admin/api/products/12`. */
  path: string;
  /** JSON:API type the call was about, e.g. `products`. */
  resourceType?: string;
  /** Resource id, when the call was about one record. */
  id?: string;
  /** Oro's `errors[]` as received. */
  errors: OroErrorObject[];
  /** `Allow` header of a 405. */
  allow?: string;
}

/** Fields every Oro error class carries, whatever its base class. */
export interface OroApiErrorFields {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly resourceType: string | undefined;
  readonly resourceId: string | undefined;
  readonly errors: OroErrorObject[];
}

/** `not blank constraint at /data/attributes/sku: This value should not be blank.` */
export const formatOroError = (error: OroErrorObject): string => {
  const where = error.source?.pointer ?? error.source?.propertyPath ?? (error.source?.parameter ? `parameter ${error.source.parameter}` : undefined);
  const title = error.title ?? "error";
  const head = where ? `${title} at ${where}` : title;
  return error.detail ? `${head}: ${error.detail}` : head;
};

const formatErrors = (errors: OroErrorObject[]): string => errors.map(formatOroError).join("; ");

/** `: <Oro's errors>` when Oro sent any, for the end of a message. */
const errorsSuffix = (ctx: OroErrorContext): string => (ctx.errors.length ? `: ${formatErrors(ctx.errors)}` : "");

const target = (ctx: OroErrorContext): string => (ctx.id ? `${ctx.resourceType ?? "?"}/${ctx.id}` : (ctx.resourceType ?? ctx.path));

const details = (ctx: OroErrorContext): Record<string, unknown> => ({
  status: ctx.status,
  method: ctx.method,
  path: ctx.path,
  resourceType: ctx.resourceType,
  id: ctx.id,
  errors: ctx.errors.map((e) => ({ title: e.title, detail: e.detail, pointer: e.source?.pointer, parameter: e.source?.parameter })),
});

const assign = (self: OroApiErrorFields, ctx: OroErrorContext): void => {
  Object.assign(self, {
    status: ctx.status,
    method: ctx.method,
    path: ctx.path,
    resourceType: ctx.resourceType,
    resourceId: ctx.id,
    errors: ctx.errors,
  });
};

/** 400/422: Oro's validation rejected the data (or a filter). Permanent; names each pointer. */
export class OroValidationError extends ValidationError implements OroApiErrorFields {
  override name = "OroValidationError";
  declare readonly status: number;
  declare readonly method: string;
  declare readonly path: string;
  declare readonly resourceType: string | undefined;
  declare readonly resourceId: string | undefined;
  declare readonly errors: OroErrorObject[];
  /** `{ pointer, title, detail }` per error, pointer or parameter as given by Oro. */
  get violations(): Array<{ pointer: string | undefined; title: string | undefined; detail: string | undefined }> {
    return this.errors.map((e) => ({ pointer: e.source?.pointer ?? e.source?.parameter, title: e.title, detail: e.detail }));
  }
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    // `products: not blank constraint at /data/attributes/sku: ...`: the pointer already says where; the id is in details.
    super(`${ctx.resourceType ?? ctx.path}: ${formatErrors(ctx.errors) || `Oro rejected the request (HTTP ${ctx.status})`}`, {
      code: "ORO_VALIDATION",
      details: details(ctx),
      ...options,
    });
    assign(this, ctx);
  }
}

/** 401 after a fresh token (API) or after a forced secret refresh (token endpoint). Transient: an operator can fix the secret. */
export class OroAuthError extends AuthError implements OroApiErrorFields {
  override name = "OroAuthError";
  declare readonly status: number;
  declare readonly method: string;
  declare readonly path: string;
  declare readonly resourceType: string | undefined;
  declare readonly resourceId: string | undefined;
  declare readonly errors: OroErrorObject[];
  constructor(message: string, ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    super(message, { code: "ORO_AUTH", details: details(ctx), ...options });
    assign(this, ctx);
  }
}

/**
 * Base of the permanent errors Oro's API answered (403, 404, 405, 409, 406/415, other 4xx): the
 * request and Oro's `errors[]` on every instance, `details` for logs and alerts.
 */
abstract class OroApiError extends PermanentError implements OroApiErrorFields {
  declare readonly status: number;
  declare readonly method: string;
  declare readonly path: string;
  declare readonly resourceType: string | undefined;
  declare readonly resourceId: string | undefined;
  declare readonly errors: OroErrorObject[];
  protected constructor(message: string, ctx: OroErrorContext, options: ConnectorErrorOptions) {
    super(message, { details: details(ctx), ...options });
    assign(this, ctx);
  }
}

/** 403: the OAuth application's user may not touch this record. */
export class OroForbiddenError extends OroApiError {
  override name = "OroForbiddenError";
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    super(
      `Oro denied ${ctx.method} on ${target(ctx)} (403${errorsSuffix(ctx)}). ` +
        "The OAuth application's user lacks the permission, or the record belongs to another organization than " +
        "the OAuth application (Oro scopes every record to the app's organization; use one connection per organization).",
      ctx,
      { code: "ORO_FORBIDDEN", alertType: "permission", ...options },
    );
  }
}

/** 404: the record (or the whole resource type) does not exist for this client. */
export class OroNotFoundError extends OroApiError {
  override name = "OroNotFoundError";
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    const typeUnknown = ctx.errors.some((e) => e.title === "resource not accessible exception");
    super(
      typeUnknown || !ctx.id
        ? `Oro resource type "${ctx.resourceType ?? ctx.path}" is not accessible (404): check the type name and that it is exposed in Oro's api.yml.`
        : `${target(ctx)} not found in Oro (404${errorsSuffix(ctx)}).`,
      ctx,
      { code: "ORO_NOT_FOUND", ...options },
    );
  }
}

/** 405: the action is disabled for this resource in Oro's api.yml; `allow` lists what is allowed. */
export class OroMethodNotAllowedError extends OroApiError {
  override name = "OroMethodNotAllowedError";
  readonly allow: string | undefined;
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    super(
      `Oro does not allow ${ctx.method} on ${target(ctx)} (405; Allow: ${ctx.allow || "none"}): the action is disabled for this resource in Oro's API configuration.`,
      ctx,
      { code: "ORO_METHOD_NOT_ALLOWED", alertType: "configuration", details: { ...details(ctx), allow: ctx.allow }, ...options },
    );
    this.allow = ctx.allow;
  }
}

/** 409: type/id mismatch, client id already taken, or an upsert that matched several records. */
export class OroConflictError extends OroApiError {
  override name = "OroConflictError";
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions & { message?: string } = {}) {
    super(options.message ?? `${target(ctx)}: ${formatErrors(ctx.errors) || "conflict (409)"}`, ctx, {
      code: "ORO_CONFLICT",
      ...options,
    });
  }
}

/** 409 on an upsert: the upsert key matched more than one record, so Oro cannot pick one. */
export class OroUpsertConflictError extends OroConflictError {
  override name = "OroUpsertConflictError";
  constructor(ctx: OroErrorContext, upsertKey: true | readonly string[], options: ConnectorErrorOptions = {}) {
    const key = upsertKey === true ? "id" : upsertKey.join(", ");
    super(ctx, {
      code: "ORO_UPSERT_CONFLICT",
      message:
        `${target(ctx)}: upsert by [${key}] matched more than one record in Oro (409${errorsSuffix(ctx)}). ` +
        "Make the key unique in Oro (remove duplicates) or upsert by a unique field.",
      ...options,
    });
  }
}

/** 406/415: Oro refused our media type. A bug in this client, not in the data. */
export class OroMediaTypeError extends OroApiError {
  override name = "OroMediaTypeError";
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    super(
      `Oro rejected the media type of ${ctx.method} ${ctx.path} (${ctx.status}${errorsSuffix(ctx)}). ` +
        "This is a client bug: requests must send Content-Type and Accept application/vnd.api+json without parameters.",
      ctx,
      { code: "ORO_MEDIA_TYPE", alertType: "configuration", ...options },
    );
  }
}

/** Any other 4xx Oro answered. Permanent: the same request will get the same answer. */
export class OroRequestError extends OroApiError {
  override name = "OroRequestError";
  constructor(ctx: OroErrorContext, options: ConnectorErrorOptions = {}) {
    super(`${ctx.method} ${ctx.path} failed with HTTP ${ctx.status}${errorsSuffix(ctx)}`, ctx, {
      code: `ORO_HTTP_${ctx.status}`,
      ...options,
    });
  }
}

/** Oro answered something a JSON:API server should not (no `data`, no operation id). Transient: usually a proxy page. */
export class OroResponseError extends TransientError {
  override name = "OroResponseError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "ORO_BAD_RESPONSE", alertType: "connection", ...options });
  }
}

/** An async batch operation did not finish in time; it goes on in Oro. Transient. */
export class OroAsyncOperationTimeoutError extends TransientError {
  override name = "OroAsyncOperationTimeoutError";
  readonly operationId: string;
  constructor(operationId: string, waitedMs: number, options: ConnectorErrorOptions = {}) {
    super(
      `Oro async operation ${operationId} did not finish within ${waitedMs} ms; it keeps running in Oro ` +
        `(check GET asyncoperations/${operationId}). The batch will be retried; upserts make that harmless.`,
      { code: "ORO_ASYNC_TIMEOUT", details: { operationId, waitedMs }, ...options },
    );
    this.operationId = operationId;
  }
}

/**
 * Whether Oro's errors for one record say "a record with this key already exists", in either of
 * the two forms Oro answers (both CONFIRMED in platform/commerce 6.1.11 and 7.0.4):
 * - validation before the write: Symfony's UniqueEntity, 400 `unique entity constraint`
 *   "This value is already used." at the key attribute (`/data/attributes/sku`; in a batch
 *   `/data/{i}/attributes/sku`, rebased by the batch client) - ProductBundle validation.yml
 *   `UniqueEntity: fields: [sku, organization]`, ProductTest.php;
 * - the database's unique index at flush, when two writers passed validation at once: 409
 *   `conflict constraint` "The entity already exists." without a pointer (`/data/{i}` in a batch)
 *   - ApiBundle Processor/Create/SaveEntity.php, Batch/Processor/Update/FlushData.php.
 * `field` is the key attribute (e.g. `sku`).
 */
export const isAlreadyExistsError = (errors: readonly OroErrorObject[] | undefined, field: string): boolean =>
  (errors ?? []).some((e) => {
    const pointer = e.source?.pointer ?? "";
    if (e.title === "unique entity constraint") return /^\/data(\/\d+)?\/attributes\//.test(pointer) && pointer.endsWith(`/attributes/${field}`);
    return e.title === "conflict constraint" && e.detail === "The entity already exists.";
  });

/** The typed error for an Oro error response with status `ctx.status` (4xx). */
export const oroErrorFor = (ctx: OroErrorContext, upsertKey?: true | readonly string[]): ConnectorError => {
  switch (ctx.status) {
    case 400:
    case 422:
      return new OroValidationError(ctx);
    case 401:
      return new OroAuthError(
        `Oro answered 401 to ${ctx.method} ${ctx.path} even with a fresh access token: check the OAuth application is active and allowed to use the JSON:API.`,
        ctx,
      );
    case 403:
      return new OroForbiddenError(ctx);
    case 404:
      return new OroNotFoundError(ctx);
    case 405:
      return new OroMethodNotAllowedError(ctx);
    case 406:
    case 415:
      return new OroMediaTypeError(ctx);
    case 409:
      return upsertKey !== undefined && !ctx.errors.some((e) => e.title === "entity type constraint" || e.title === "entity identifier constraint")
        ? new OroUpsertConflictError(ctx, upsertKey)
        : new OroConflictError(ctx);
    default:
      return new OroRequestError(ctx);
  }
};
