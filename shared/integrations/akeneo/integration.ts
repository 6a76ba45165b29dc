import { defineIntegrationType } from "../../connector";
import { AkeneoClient } from "./client";
import { AkeneoSettingsSchema } from "./settings";
import type { AkeneoSettings } from "./settings";

/**
 * The Akeneo PIM integration type (Oro's Akeneo channel type): settings are the connection secret
 * `{ baseUrl, clientId, secret, username, password, maxConnections? }`, the client an {@link AkeneoClient}.
 */
export const akeneoIntegration = defineIntegrationType<AkeneoSettings, AkeneoClient>({
  type: "akeneo",
  label: "Akeneo PIM",
  settings: AkeneoSettingsSchema,
  createClient: (settings) => new AkeneoClient(settings),
});
