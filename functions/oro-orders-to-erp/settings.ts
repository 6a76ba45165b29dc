import * as z from "zod/mini";
import { ConfigurationError } from "../../shared/errors";

/**
 * Connector settings (deploy config `settings`):
 * - `orderNumberField`: the Oro order attribute that receives the ERP order number. Default
 *   `externalId`, which exists on Oro 6.1.10+ / 7.0.2+ only (docs/reference/oro-api.md §2.2). On older Oro use a
 *   custom order field (an extend field exposed to the API) or, knowingly, `poNumber` /
 *   `customerNotes`: the number then replaces what the buyer typed there.
 * - `mapping`: an override of the default mapping (see mapping.ts).
 * - `reconcileDelayMinutes`: how far the scheduled reconciliation stays behind its schedule
 *   (default 5), so it does not export an order whose webhook is still on its way (reconcile.ts).
 */
export const OrdersToErpSettingsSchema = z.object({
  orderNumberField: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/)), "externalId"),
  mapping: z.optional(z.unknown()),
  reconcileDelayMinutes: z._default(z.number().check(z.gte(0), z.lte(1_440)), 5),
});
export type OrdersToErpSettings = z.infer<typeof OrdersToErpSettingsSchema>;

export const parseSettings = (settings: Readonly<Record<string, unknown>>): OrdersToErpSettings => {
  const parsed = OrdersToErpSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigurationError(`oro-orders-to-erp settings are invalid (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}): orderNumberField must be an Oro order attribute name such as "externalId" or "poNumber"; reconcileDelayMinutes a number of minutes from 0 to 1440`);
  }
  return parsed.data;
};
