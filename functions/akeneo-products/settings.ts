import * as z from "zod/mini";
import type { ConnectorContext, ConnectorSettings, MessageSchemas } from "../../shared/connector";
import type { ImportConverter } from "../../shared/converters";
import type { AkeneoClient } from "../../shared/integrations/akeneo";
import { ATTRIBUTE_CODE, DEFAULT_IDENTIFIER_ATTRIBUTE } from "./identifier";
import { DEFAULT_ASYNC_MIN_PRODUCTS } from "./bulk";
import { createProductConverter } from "./mapping";

/** The most products one Oro sync batch request takes (docs/reference/oro-api.md). */
export const MAX_ORO_BATCH_SIZE = 100;

/**
 * Connector settings (deploy config `settings`, besides the common keys of
 * shared/connector/settings.ts, e.g. `maxChainHops`, `handoverMarginMs`):
 * - `identifierAttribute`: the Akeneo identifier attribute holding the SKU (default `sku`;
 *   identifier.ts; `ops check` verifies it against Akeneo).
 * - `mapping`: an override of mapping.ts (deep merge; `null` drops a field).
 * - `reuseExisting`: read the rows an existing product already has before writing (default true;
 *   related.ts); `false` skips that read.
 * - `oroBatchSize`: products per Oro write request, 1..100 (default 100; 1 = one request per product).
 * - `oroAsyncBatch`: `auto` (default), `always` or `never`; `oroAsyncMinProducts` (default 300): when
 *   the pages an invocation writes at once go as one Oro asynchronous batch (bulk.ts).
 */
export const AkeneoProductsSettingsSchema = z.strictObject({
  identifierAttribute: z._default(
    z
      .string()
      .check(
        z.regex(ATTRIBUTE_CODE, { error: 'an Akeneo attribute code (letters, digits, underscores) of an identifier attribute; run "ops check" to list them' }),
      ),
    DEFAULT_IDENTIFIER_ATTRIBUTE,
  ),
  mapping: z.optional(z.unknown()),
  reuseExisting: z._default(z.boolean(), true),
  oroBatchSize: z._default(z.int().check(z.positive(), z.lte(MAX_ORO_BATCH_SIZE)), MAX_ORO_BATCH_SIZE),
  oroAsyncBatch: z._default(z.enum(["auto", "always", "never"]), "auto"),
  oroAsyncMinProducts: z._default(z.int().check(z.positive()), DEFAULT_ASYNC_MIN_PRODUCTS),
});
export type AkeneoProductsSettingsSchema = typeof AkeneoProductsSettingsSchema;
export type AkeneoProductsSettings = ConnectorSettings<AkeneoProductsSettingsSchema>;

/** The product converter, compiled from the mapping (identifier attribute and override) once per container. */
export interface AkeneoProductsPrepared {
  converter: ImportConverter;
}

export const prepareAkeneoProducts = (settings: AkeneoProductsSettings): AkeneoProductsPrepared => ({ converter: createProductConverter(settings) });

/** What this connector's functions get. */
export type AkeneoContext<M extends MessageSchemas = MessageSchemas> = ConnectorContext<AkeneoClient, M, AkeneoProductsSettingsSchema, AkeneoProductsPrepared>;
