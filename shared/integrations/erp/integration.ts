import { defineIntegrationType } from "../../connector";
import { ErpClient } from "./client";
import { ErpSettingsSchema } from "./settings";
import type { ErpSettings } from "./settings";

/**
 * The generic REST ERP integration type (docs/erp-contract.md): its settings are the secret
 * `{ baseUrl, apiKey, maxConnections? }`, its client an {@link ErpClient}.
 */
export const erpIntegration = defineIntegrationType<ErpSettings, ErpClient>({
  type: "erp",
  label: "ERP (generic REST)",
  settings: ErpSettingsSchema,
  createClient: (settings) => new ErpClient(settings),
});
