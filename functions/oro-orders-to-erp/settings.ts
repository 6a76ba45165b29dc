import * as z from "zod/mini";
import type { ConnectorContext, ConnectorSettings, MessageSchemas } from "../../shared/connector";
import { createExportConverter, mergeMapping } from "../../shared/converters";
import type { ExportConverter } from "../../shared/converters";
import type { ErpClient } from "../../shared/integrations/erp";
import { defaultOrderMapping } from "./mapping";

/**
 * Connector settings (deploy config `settings`, besides the common keys of
 * shared/connector/settings.ts):
 * - `orderNumberField`: the Oro order attribute that receives the ERP order number. Default
 *   `externalId`, which exists on Oro 6.1.10+ / 7.0.2+ only (docs/reference/oro-api.md §2.2). On older Oro use a
 *   custom order field (an extend field exposed to the API) or, knowingly, `poNumber` /
 *   `customerNotes`: the number then replaces what the buyer typed there.
 * - `mapping`: an override of the default mapping (see mapping.ts).
 * - `reconcileDelayMinutes`: how far the scheduled reconciliation stays behind its schedule
 *   (default 5), so it does not export an order whose webhook is still on its way (reconcile.ts).
 */
export const OrdersToErpSettingsSchema = z.strictObject({
  orderNumberField: z._default(
    z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'an Oro order attribute name such as "externalId" or "poNumber"' })),
    "externalId",
  ),
  mapping: z.optional(z.unknown()),
  reconcileDelayMinutes: z._default(z.number().check(z.gte(0), z.lte(1_440)), 5),
});
export type OrdersToErpSettingsSchema = typeof OrdersToErpSettingsSchema;
export type OrdersToErpSettings = ConnectorSettings<OrdersToErpSettingsSchema>;

/** The order converter, compiled from the mapping (with its override) once per container. */
export interface OrdersToErpPrepared {
  converter: ExportConverter;
}

export const prepareOrdersToErp = (settings: OrdersToErpSettings): OrdersToErpPrepared => ({
  converter: createExportConverter(mergeMapping(defaultOrderMapping, settings.mapping)),
});

/** What this connector's functions get. */
export type OrdersContext<M extends MessageSchemas = MessageSchemas> = ConnectorContext<ErpClient, M, OrdersToErpSettingsSchema, OrdersToErpPrepared>;
