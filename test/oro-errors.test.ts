/**
 * The typed errors of the Oro client (shared/oro/errors.ts), one status at a time: the exact
 * message an operator reads, the code and alert type the notifier files the alert under, and the
 * facts kept for logs. These are what an alert in Oro shows, so a changed word is a changed
 * behaviour (issue 16: exact assertions).
 */
import { describe, expect, it } from "vitest";
import { AuthError, PermanentError, TransientError, ValidationError } from "../shared/errors";
import {
  OroAsyncOperationTimeoutError,
  OroAuthError,
  OroConflictError,
  OroForbiddenError,
  OroMediaTypeError,
  OroMethodNotAllowedError,
  OroNotFoundError,
  OroRequestError,
  OroResponseError,
  OroUpsertConflictError,
  OroValidationError,
  formatOroError,
  isAlreadyExistsError,
  oroErrorFor,
} from "../shared/oro";
import type { OroErrorContext, OroErrorObject } from "../shared/oro";

const blank: OroErrorObject = {
  status: "400",
  title: "not blank constraint",
  detail: "This value should not be blank.",
  source: { pointer: "/data/attributes/sku" },
};
const filter: OroErrorObject = { status: "400", title: "filter constraint", detail: "bad value", source: { parameter: "filter[sku]" } };

const ctx = (overrides: Partial<OroErrorContext> = {}): OroErrorContext => ({
  status: 400,
  method: "PATCH",
  path: "/admin/api/products/7",
  resourceType: "products",
  id: "7",
  errors: [],
  ...overrides,
});

/** The `details` every Oro API error carries for logs and alerts. */
const detailsOf = (c: OroErrorContext): Record<string, unknown> => ({
  status: c.status,
  method: c.method,
  path: c.path,
  resourceType: c.resourceType,
  id: c.id,
  errors: c.errors.map((e) => ({ title: e.title, detail: e.detail, pointer: e.source?.pointer, parameter: e.source?.parameter })),
});

describe("Function: formatOroError", () => {
  it("says title, where and detail in Oro's words", () => {
    expect(formatOroError(blank)).toBe("not blank constraint at /data/attributes/sku: This value should not be blank.");
    expect(formatOroError(filter)).toBe("filter constraint at parameter filter[sku]: bad value");
    expect(formatOroError({ title: "x", source: { propertyPath: "names.0" } })).toBe("x at names.0");
    expect(formatOroError({ detail: "only a detail" })).toBe("error: only a detail");
    expect(formatOroError({})).toBe("error");
  });
});

describe("Function: oroErrorFor", () => {
  it("400 and 422: OroValidationError listing every violation, permanent, alert type validation", () => {
    for (const status of [400, 422]) {
      const c = ctx({ status, errors: [blank, filter] });
      const error = oroErrorFor(c) as OroValidationError;
      expect(error).toBeInstanceOf(OroValidationError);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.name).toBe("OroValidationError");
      expect(error.kind).toBe("permanent");
      expect(error.message).toBe(
        "products: not blank constraint at /data/attributes/sku: This value should not be blank.; filter constraint at parameter filter[sku]: bad value",
      );
      expect(error.code).toBe("ORO_VALIDATION");
      expect(error.alertType).toBe("validation");
      expect(error.details).toEqual(detailsOf(c));
      expect(error.violations).toEqual([
        { pointer: "/data/attributes/sku", title: "not blank constraint", detail: "This value should not be blank." },
        { pointer: "filter[sku]", title: "filter constraint", detail: "bad value" },
      ]);
      expect([error.status, error.method, error.path, error.resourceType, error.resourceId, error.errors]).toEqual([
        status,
        "PATCH",
        "/admin/api/products/7",
        "products",
        "7",
        [blank, filter],
      ]);
    }
  });

  it("400 without errors[] or resource type: names the path and the status", () => {
    const error = oroErrorFor(ctx({ errors: [], resourceType: undefined, id: undefined, path: "/admin/api/things" }));
    expect(error.message).toBe("/admin/api/things: Oro rejected the request (HTTP 400)");
  });

  it("401: OroAuthError (transient, alert type auth) telling to check the OAuth application", () => {
    const c = ctx({ status: 401, method: "GET" });
    const error = oroErrorFor(c) as OroAuthError;
    expect(error).toBeInstanceOf(OroAuthError);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.kind).toBe("transient");
    expect(error.name).toBe("OroAuthError");
    expect(error.message).toBe(
      "Oro answered 401 to GET /admin/api/products/7 even with a fresh access token: check the OAuth application is active and allowed to use the JSON:API.",
    );
    expect(error.code).toBe("ORO_AUTH");
    expect(error.alertType).toBe("auth");
    expect(error.details).toEqual(detailsOf(c));
    expect(error.resourceId).toBe("7");
  });

  it("403: OroForbiddenError naming the record and the organization rule, alert type permission", () => {
    const denied: OroErrorObject = { status: "403", title: "access denied exception", detail: "No access to the entity." };
    const c = ctx({ status: 403, errors: [denied] });
    const error = oroErrorFor(c) as OroForbiddenError;
    expect(error).toBeInstanceOf(OroForbiddenError);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.name).toBe("OroForbiddenError");
    expect(error.message).toBe(
      "Oro denied PATCH on products/7 (403: access denied exception: No access to the entity.). " +
        "The OAuth application's user lacks the permission, or the record belongs to another organization than " +
        "the OAuth application (Oro scopes every record to the app's organization; use one connection per organization).",
    );
    expect(error.code).toBe("ORO_FORBIDDEN");
    expect(error.alertType).toBe("permission");
    expect(error.details).toEqual(detailsOf(c));
    // Without errors[] and without a type the target is the path, and no suffix.
    expect(oroErrorFor(ctx({ status: 403, id: undefined, resourceType: undefined, path: "/admin/api/x" })).message).toMatch(
      /^Oro denied PATCH on \/admin\/api\/x \(403\)\. /,
    );
    expect(oroErrorFor(ctx({ status: 403, resourceType: undefined })).message).toMatch(/^Oro denied PATCH on \?\/7 \(403\)\. /);
  });

  it("404 of one record: OroNotFoundError naming it; of an unknown type: tells to check api.yml", () => {
    const missing: OroErrorObject = { status: "404", title: "not found http exception", detail: "An entity with the requested identifier does not exist." };
    const record = oroErrorFor(ctx({ status: 404, errors: [missing] })) as OroNotFoundError;
    expect(record).toBeInstanceOf(OroNotFoundError);
    expect(record).toBeInstanceOf(PermanentError);
    expect(record.name).toBe("OroNotFoundError");
    expect(record.message).toBe("products/7 not found in Oro (404: not found http exception: An entity with the requested identifier does not exist.).");
    expect(record.code).toBe("ORO_NOT_FOUND");
    expect(record.alertType).toBe("sync");

    const typeMessage = 'Oro resource type "products" is not accessible (404): check the type name and that it is exposed in Oro\'s api.yml.';
    // Oro's answer for a type it does not expose, even when the call named an id; other errors next to it do not matter.
    const unknownType = { status: "404", title: "resource not accessible exception", detail: "The resource is not accessible." };
    expect(oroErrorFor(ctx({ status: 404, errors: [missing, unknownType] })).message).toBe(typeMessage);
    expect(oroErrorFor(ctx({ status: 404, errors: [unknownType] })).message).toBe(typeMessage);
    // A list call (no id) that gets 404 is about the type too.
    expect(oroErrorFor(ctx({ status: 404, id: undefined, errors: [missing] })).message).toBe(typeMessage);
    expect(oroErrorFor(ctx({ status: 404, id: undefined, resourceType: undefined, path: "/admin/api/nope" })).message).toBe(
      'Oro resource type "/admin/api/nope" is not accessible (404): check the type name and that it is exposed in Oro\'s api.yml.',
    );
    expect(oroErrorFor(ctx({ status: 404 })).message).toBe("products/7 not found in Oro (404).");
  });

  it("405: OroMethodNotAllowedError with Oro's Allow header, alert type configuration", () => {
    const c = ctx({ status: 405, method: "DELETE", allow: "GET, PATCH" });
    const error = oroErrorFor(c) as OroMethodNotAllowedError;
    expect(error).toBeInstanceOf(OroMethodNotAllowedError);
    expect(error.name).toBe("OroMethodNotAllowedError");
    expect(error.message).toBe(
      "Oro does not allow DELETE on products/7 (405; Allow: GET, PATCH): the action is disabled for this resource in Oro's API configuration.",
    );
    expect(error.code).toBe("ORO_METHOD_NOT_ALLOWED");
    expect(error.alertType).toBe("configuration");
    expect(error.allow).toBe("GET, PATCH");
    expect(error.details).toEqual({ ...detailsOf(c), allow: "GET, PATCH" });
    expect(oroErrorFor(ctx({ status: 405 })).message).toContain("(405; Allow: none)");
  });

  it("406 and 415: OroMediaTypeError saying it is a client bug, alert type configuration", () => {
    const c = ctx({ status: 415, method: "POST", path: "/admin/api/products", errors: [{ status: "415", title: "unsupported media type http exception" }] });
    const error = oroErrorFor(c);
    expect(error).toBeInstanceOf(OroMediaTypeError);
    expect(error.name).toBe("OroMediaTypeError");
    expect(error.message).toBe(
      "Oro rejected the media type of POST /admin/api/products (415: unsupported media type http exception). " +
        "This is a client bug: requests must send Content-Type and Accept application/vnd.api+json without parameters.",
    );
    expect(error.code).toBe("ORO_MEDIA_TYPE");
    expect(error.alertType).toBe("configuration");
    expect(error.details).toEqual(detailsOf(c));
    expect(oroErrorFor(ctx({ status: 406, method: "GET" })).message).toMatch(
      /^Oro rejected the media type of GET \/admin\/api\/products\/7 \(406\)\. This is a client bug/,
    );
  });

  it("409: OroConflictError with Oro's errors, or 'conflict (409)' when it sent none", () => {
    const exists: OroErrorObject = { status: "409", title: "conflict constraint", detail: "The entity already exists." };
    const c = ctx({ status: 409, errors: [exists] });
    const error = oroErrorFor(c);
    expect(error).toBeInstanceOf(OroConflictError);
    expect(error).not.toBeInstanceOf(OroUpsertConflictError);
    expect(error.name).toBe("OroConflictError");
    expect(error.message).toBe("products/7: conflict constraint: The entity already exists.");
    expect(error.code).toBe("ORO_CONFLICT");
    expect(error.alertType).toBe("sync");
    expect(error.details).toEqual(detailsOf(c));
    expect(oroErrorFor(ctx({ status: 409 })).message).toBe("products/7: conflict (409)");
  });

  it("409 on an upsert: OroUpsertConflictError naming the key, unless Oro says the type or id mismatches", () => {
    const several: OroErrorObject = {
      status: "409",
      title: "conflict constraint",
      detail: "The upsert operation cannot be performed because more than one entity found.",
    };
    const byId = oroErrorFor(ctx({ status: 409, errors: [several] }), true);
    expect(byId).toBeInstanceOf(OroUpsertConflictError);
    expect(byId).toBeInstanceOf(OroConflictError);
    expect(byId.name).toBe("OroUpsertConflictError");
    expect(byId.code).toBe("ORO_UPSERT_CONFLICT");
    expect(byId.message).toBe(
      "products/7: upsert by [id] matched more than one record in Oro (409: conflict constraint: The upsert operation cannot be performed because more than one entity found.). " +
        "Make the key unique in Oro (remove duplicates) or upsert by a unique field.",
    );
    expect(oroErrorFor(ctx({ status: 409 }), ["sku", "organization"]).message).toBe(
      "products/7: upsert by [sku, organization] matched more than one record in Oro (409). Make the key unique in Oro (remove duplicates) or upsert by a unique field.",
    );
    // Oro's 409 for a type or id that does not match the URL is a plain conflict, whatever the upsert key;
    // one such error among others is enough.
    for (const title of ["entity type constraint", "entity identifier constraint"]) {
      const mismatch = oroErrorFor(ctx({ status: 409, errors: [several, { status: "409", title }] }), ["sku"]);
      expect(mismatch.name).toBe("OroConflictError");
      expect(mismatch.code).toBe("ORO_CONFLICT");
    }
  });

  it("any other 4xx: OroRequestError with the status in its code", () => {
    const c = ctx({ status: 413, method: "POST", path: "/admin/api/batch", errors: [{ title: "too large" }] });
    const error = oroErrorFor(c);
    expect(error).toBeInstanceOf(OroRequestError);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.name).toBe("OroRequestError");
    expect(error.message).toBe("POST /admin/api/batch failed with HTTP 413: too large");
    expect(error.code).toBe("ORO_HTTP_413");
    expect(error.details).toEqual(detailsOf(c));
    expect(oroErrorFor(ctx({ status: 418, method: "GET" })).message).toBe("GET /admin/api/products/7 failed with HTTP 418");
  });

  it("options given by the caller win over the defaults", () => {
    const error = new OroForbiddenError(ctx({ status: 403 }), { code: "MINE", alertType: "sync", externalId: "SKU-1" });
    expect([error.code, error.alertType, error.externalId]).toEqual(["MINE", "sync", "SKU-1"]);
    const auth = new OroAuthError("m", ctx({ status: 401 }), { code: "ORO_INVALID_CLIENT" });
    expect(auth.code).toBe("ORO_INVALID_CLIENT");
    expect(auth.details).toEqual(detailsOf(ctx({ status: 401 })));
  });
});

describe("Class: OroResponseError and OroAsyncOperationTimeoutError", () => {
  it("a response that is not JSON:API is transient, code ORO_BAD_RESPONSE, alert type connection", () => {
    const error = new OroResponseError("no data member");
    expect(error).toBeInstanceOf(TransientError);
    expect([error.name, error.message, error.code, error.alertType]).toEqual(["OroResponseError", "no data member", "ORO_BAD_RESPONSE", "connection"]);
  });

  it("an async operation that outlives the wait is transient and says where to look", () => {
    const error = new OroAsyncOperationTimeoutError("42", 600_000);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.name).toBe("OroAsyncOperationTimeoutError");
    expect(error.message).toBe(
      "Oro async operation 42 did not finish within 600000 ms; it keeps running in Oro (check GET asyncoperations/42). The batch will be retried; upserts make that harmless.",
    );
    expect(error.code).toBe("ORO_ASYNC_TIMEOUT");
    expect(error.details).toEqual({ operationId: "42", waitedMs: 600_000 });
    expect(error.operationId).toBe("42");
  });
});

describe("Function: isAlreadyExistsError", () => {
  it("recognises both forms Oro answers for a taken key, and nothing else", () => {
    const unique = (pointer: string): OroErrorObject => ({ title: "unique entity constraint", detail: "This value is already used.", source: { pointer } });
    expect(isAlreadyExistsError([unique("/data/attributes/sku")], "sku")).toBe(true);
    expect(isAlreadyExistsError([unique("/data/3/attributes/sku")], "sku")).toBe(true);
    expect(isAlreadyExistsError([unique("/data/12/attributes/sku")], "sku")).toBe(true);
    // Only a pointer into the primary data counts, not one that merely contains it.
    expect(isAlreadyExistsError([unique("/included/0/data/attributes/sku")], "sku")).toBe(false);
    expect(isAlreadyExistsError([unique("/data/attributes/name")], "sku")).toBe(false);
    expect(isAlreadyExistsError([unique("/included/0/attributes/sku")], "sku")).toBe(false);
    expect(isAlreadyExistsError([unique("/data/attributes/oldsku")], "sku")).toBe(false);
    expect(isAlreadyExistsError([{ title: "conflict constraint", detail: "The entity already exists." }], "sku")).toBe(true);
    expect(isAlreadyExistsError([{ title: "conflict constraint", detail: "Another detail." }], "sku")).toBe(false);
    expect(isAlreadyExistsError([{ title: "other constraint", detail: "The entity already exists." }], "sku")).toBe(false);
    expect(isAlreadyExistsError([blank, { title: "conflict constraint", detail: "The entity already exists." }], "sku")).toBe(true);
    expect(isAlreadyExistsError(undefined, "sku")).toBe(false);
  });
});
