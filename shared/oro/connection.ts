import * as z from "zod/mini";
import { ConfigurationError } from "../errors";
import { DEFAULT_API_PREFIX } from "./constants";

/**
 * An Oro connection as kept in Secrets Manager (one JSON secret per integration instance):
 *
 * ```json
 * { "baseUrl": "https://oro.example.com", "apiPrefix": "/admin/api",
 *   "clientId": "...", "clientSecret": "...", "maxConnections": 8 }
 * ```
 *
 * `apiPrefix` defaults to `/admin/api` (OroCommerce back office); a platform-only app uses `/api`.
 * `maxConnections` caps concurrent sockets of one Lambda instance to this Oro (transport default 8).
 */
export const OroConnectionSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiPrefix: z._default(z.string().check(z.regex(/^\/[^?#]*$/)), DEFAULT_API_PREFIX),
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  maxConnections: z.optional(z.int().check(z.positive(), z.lte(256))),
});

/** A validated Oro connection (defaults applied). */
export type OroConnection = z.infer<typeof OroConnectionSchema>;
/** What a secret may hold before defaults are applied. */
export type OroConnectionInput = z.input<typeof OroConnectionSchema>;

/**
 * Validates a parsed secret. Raises {@link ConfigurationError} naming each bad field and what it
 * must be, never echoing a value (the secret is one of them).
 *
 * @param source - Names the secret in the message, e.g. its ARN or name.
 */
export const parseOroConnection = (value: unknown, source = "the Oro connection secret"): OroConnection => {
  const result = OroConnectionSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${describeIssue(issue.code, issue.path)}`);
  throw new ConfigurationError(
    `${source} is invalid: ${problems.join("; ")}. Expected {"baseUrl":"https://…","apiPrefix":"/admin/api","clientId":"…","clientSecret":"…","maxConnections"?:8}.`,
    { code: "ORO_CONNECTION_INVALID", details: { fields: result.error.issues.map((i) => i.path.join(".")) } },
  );
};

const describeIssue = (code: string, path: readonly PropertyKey[]): string => {
  const field = String(path[0] ?? "");
  if (field === "baseUrl") return "must be an http(s) URL";
  if (field === "apiPrefix") return "must be a path starting with /";
  if (field === "maxConnections") return "must be an integer from 1 to 256";
  if (code === "invalid_type") return "is missing or not a string";
  return "must be a non-empty string";
};
