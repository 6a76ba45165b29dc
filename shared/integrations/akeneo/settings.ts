import * as z from "zod/mini";

/** Akeneo allows 4 concurrent calls per connection (SaaS limits, docs/reference/integration-practices.md §4). */
export const DEFAULT_AKENEO_MAX_CONNECTIONS = 4;

/**
 * The Akeneo connection as kept in the integration's secret (Connect > Connection settings):
 *
 * ```json
 * { "baseUrl": "https://pim.example.com", "clientId": "...", "secret": "...",
 *   "username": "connector_1234", "password": "...", "maxConnections": 4 }
 * ```
 *
 * `maxConnections` caps the sockets one Lambda instance opens (default 4, Akeneo's per-connection
 * limit); with several instances, divide the budget by the function's max concurrency.
 */
export const AkeneoSettingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  clientId: z.string().check(z.minLength(1)),
  secret: z.string().check(z.minLength(1)),
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
  maxConnections: z.optional(z.int().check(z.positive(), z.lte(10))),
});
export type AkeneoSettings = z.infer<typeof AkeneoSettingsSchema>;
