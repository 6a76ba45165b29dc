import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError } from "../../common";
import { handleTokenRequest } from "../auth";
import type { OAuthClient, TokenStore } from "../auth";
import { ApiError, apiErrors, errorObject } from "../jsonapi/errors";
import { parseQuery } from "../jsonapi/query";
import type { Permission } from "../acl";
import type { Action } from "../model";
import { handleBatch } from "./batch";
import type { ApiEnv, ApiRequest } from "./context";
import { JSON_API, sendDocument } from "./context";
import { handleDelete, handleDeleteList, handleWrite } from "./mutate";
import { handleGet, handleList, pageRows } from "./read";

/** Back-office API prefix (`web_backend_prefix` `/admin` + `/api`, docs/reference/oro-api.md §1.1). */
export const API_PREFIX = "/admin/api";

/** Options of {@link createOroRouter}. */
export interface OroRouterOptions {
  env: ApiEnv;
  tokens: TokenStore;
  clients: readonly OAuthClient[];
}

const COLLECTION_METHODS: ReadonlyArray<[string, Action]> = [
  ["GET", "get_list"],
  ["POST", "create"],
  ["PATCH", "update_list"],
  ["DELETE", "delete_list"],
];
const ITEM_METHODS: ReadonlyArray<[string, Action]> = [
  ["GET", "get"],
  ["PATCH", "update"],
  ["DELETE", "delete"],
];

/** The entity permission each action needs (security_check group: Processor/Shared/ValidateEntityTypeAccess.php). */
const PERMISSION_OF: Record<Action, Permission> = {
  get: "VIEW",
  get_list: "VIEW",
  create: "CREATE",
  update: "EDIT",
  update_list: "EDIT",
  delete: "DELETE",
  delete_list: "DELETE",
};

function allowed(actions: readonly Action[], table: ReadonlyArray<[string, Action]>): string[] {
  return ["OPTIONS", ...table.filter(([, action]) => actions.includes(action)).map(([method]) => method)];
}

/**
 * Media-type rules (platform@6.1 Processor/Shared/JsonApi/CheckRequestType.php, doc@6.1:api/client-requirements.md):
 * bodies must be `application/vnd.api+json` without parameters (415), and an `Accept` that excludes it is 406.
 */
function checkMediaTypes(req: IncomingMessage, hasBody: boolean): void {
  if (hasBody) {
    const contentType = req.headers["content-type"];
    if (contentType === undefined || contentType.split(";")[0]?.trim().toLowerCase() !== JSON_API) {
      throw new ApiError(415, [errorObject(415, "unsupported media type http exception", `The "Content-Type" request header must be "${JSON_API}".`)]);
    }
    if (contentType.includes(";")) {
      throw new ApiError(415, [
        errorObject(
          415,
          "unsupported media type http exception",
          'The "Content-Type" request header should contain JSON:API media type without any parameters.',
        ),
      ]);
    }
  }
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === "") return;
  const ranges = accept.split(",").map((part) =>
    part
      .trim()
      .split(";")
      .map((p) => p.trim()),
  );
  const acceptable = ranges.some(([type, ...params]) => {
    const wanted = (type ?? "").toLowerCase();
    const onlyQ = params.every((p) => p.toLowerCase().startsWith("q="));
    return (wanted === JSON_API && onlyQ) || wanted === "*/*" || wanted === "application/*";
  });
  if (!acceptable) {
    throw new ApiError(406, [errorObject(406, "not acceptable http exception", 'The "Accept" request header does not accept JSON:API content type.')]);
  }
}

function sendError(res: ServerResponse, error: ApiError): void {
  if (error.emptyBody) {
    res.writeHead(error.status, { ...error.headers, "Content-Length": 0 });
    res.end();
    return;
  }
  sendDocument(res, error.status, { errors: error.errors }, error.headers);
}

/** `GET /admin/api/asyncoperations/{id}/errors`: paginated `asyncoperationerrors` (docs/reference/oro-api.md §5.1). */
function handleAsyncErrors(env: ApiEnv, request: ApiRequest, id: string): void {
  if (!env.store.mustTable("asyncoperations").get(id)) throw apiErrors.notFound();
  const query = parseQuery(request.url, { ...request.def, filters: {}, sorters: ["id"] }, "list");
  const { page, links } = pageRows(env.asyncErrors.get(id) ?? [], request, query);
  const body: Record<string, unknown> = {
    data: page.map(({ id: errorId, ...attributes }) => ({ type: "asyncoperationerrors", id: errorId, attributes })),
  };
  if (request.render.hateoas) body.links = links;
  const headers: Record<string, string> = {};
  if (request.xInclude.has("totalCount")) headers["X-Include-Total-Count"] = String(env.asyncErrors.get(id)?.length ?? 0);
  sendDocument(request.res, 200, body, headers);
}

/** `GET /userprofile`: the API user (every sandbox client acts as user 1) as type `userprofile`. */
function sendUserProfile(env: ApiEnv, res: ServerResponse): void {
  const user = env.store.mustTable("users").get("1");
  sendDocument(res, 200, {
    data: {
      type: "userprofile",
      id: "1",
      attributes: { username: user?.attributes.username ?? "admin" },
      relationships: { owner: { data: { type: "businessunits", id: "1" } } },
    },
  });
}

/** Builds the request handler for `/oauth2-token` and `/admin/api/*` (admin endpoints are routed before). */
export function createOroRouter(options: OroRouterOptions): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const { env, tokens, clients } = options;
  return async (req, res, url) => {
    try {
      if (url.pathname === "/oauth2-token") return await handleTokenRequest(req, res, clients, tokens);
      // Storefront API: tokens of back-office clients are not accepted there (docs/reference/oro-api.md §1.2).
      if (url.pathname === "/api" || url.pathname.startsWith("/api/")) throw apiErrors.unauthorized(req.headers.authorization !== undefined);
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        sendDocument(res, 404, { errors: [errorObject(404, "not found http exception", "No route found.")] });
        return;
      }
      const auth = req.headers.authorization;
      const token = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : undefined;
      if (!token || !tokens.isValid(token)) throw apiErrors.unauthorized(auth !== undefined);

      const segments = url.pathname
        .slice(API_PREFIX.length + 1)
        .split("/")
        .map(decodeURIComponent);
      const [type = "", id, association, ...rest] = segments;
      // The current user (UserBundle api.yml `userprofile`: get only; Tests/Functional/Api/RestJsonApi/UserProfileTest.php).
      if (type === "userprofile" && id === undefined && (req.method ?? "GET") === "GET") return sendUserProfile(env, res);
      const def = env.defs.get(type);
      if (!def || rest.length > 0) throw apiErrors.resourceNotAccessible();
      const method = req.method ?? "GET";
      const hasBody = method === "POST" || method === "PATCH";
      checkMediaTypes(req, hasBody);

      const host = req.headers.host ?? "127.0.0.1";
      const baseUrl = `http://${host}`;
      const xInclude = new Set(
        (req.headers["x-include"] as string | undefined)
          ?.split(";")
          .map((s) => s.trim())
          .filter(Boolean) ?? [],
      );
      const request: ApiRequest = { req, res, url, def, xInclude, baseUrl, render: { baseUrl, hateoas: !xInclude.has("noHateoas"), fields: new Map() } };

      if (association !== undefined) {
        if (type === "asyncoperations" && association === "errors" && id && method === "GET") return handleAsyncErrors(env, request, id);
        throw apiErrors.resourceNotAccessible();
      }
      const table = id === undefined ? COLLECTION_METHODS : ITEM_METHODS;
      const allow = allowed(def.actions, table);
      if (method === "OPTIONS") {
        res.writeHead(200, { Allow: allow.join(", "), "Content-Length": 0 });
        res.end();
        return;
      }
      const action = table.find(([m]) => m === method)?.[1];
      // Disabled action: 405 + Allow, no body (ErrorStatusCodesWithoutContentTrait, docs/reference/oro-api.md §2).
      if (!action || !def.actions.includes(action)) throw apiErrors.methodNotAllowed(allow);
      const capability = def.aclResources?.[action];
      const granted = capability ? env.acl.isCapabilityGranted("1", capability) : env.acl.isGranted("1", def.type, PERMISSION_OF[action]);
      if (!granted) throw new ApiError(403, [errorObject(403, "access denied exception", "No access to this type of entities.")]);

      switch (action) {
        case "get_list":
          return handleList(env, request);
        case "create":
          return await handleWrite(env, request, { kind: "create" });
        case "update_list":
          return await handleBatch(env, request);
        case "delete_list":
          return handleDeleteList(env, request);
        case "get":
          return handleGet(env, request, id ?? "");
        case "update":
          return await handleWrite(env, request, { kind: "update", urlId: id ?? "" });
        case "delete":
          return handleDelete(env, request, id ?? "");
      }
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      if (error instanceof BodyTooLargeError) return sendError(res, new ApiError(413, [errorObject(413, "request entity too large", error.message)]));
      throw error;
    }
  };
}
