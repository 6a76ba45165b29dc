import * as z from "zod/mini";

/**
 * The ERP connection as kept in the integration's secret:
 *
 * ```json
 * { "baseUrl": "https://erp.example.com/api", "apiKey": "...", "maxConnections": 4 }
 * ```
 *
 * `apiKey` is sent as `Authorization: Bearer <apiKey>`. `maxConnections` caps the sockets one
 * Lambda instance opens to the ERP (transport default 8): the ERP's concurrency budget divided by
 * the function's reserved concurrency.
 */
export const ErpSettingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().check(z.minLength(1)),
  maxConnections: z.optional(z.int().check(z.positive(), z.lte(256))),
});
export type ErpSettings = z.infer<typeof ErpSettingsSchema>;
