import type { ResolvedConnector } from "../../infra/config";
import type { Connector } from "../../shared/connector";
import { AkeneoClient } from "../../shared/integrations/akeneo";
import { ErpClient } from "../../shared/integrations/erp";

/** A harmless read that proves the external system accepts the credentials. */
export interface ExternalProbe {
  description: string;
  run(signal: AbortSignal): Promise<void>;
}

type Checkable = { check?: (options?: { signal?: AbortSignal }) => Promise<unknown>; ping?: (options?: { signal?: AbortSignal }) => Promise<unknown> };

/**
 * How `check` talks to an integration type's external system: the client's own `check()` or
 * `ping()` when it has one; otherwise a one-item read for the types known here. `undefined`
 * when neither exists (the check then reports that only the secret's shape was checked).
 */
export const externalProbe = (type: string, client: unknown): ExternalProbe | undefined => {
  const checkable = client as Checkable;
  if (typeof checkable.check === "function")
    return { description: `${type} client check()`, run: async (signal) => void (await checkable.check?.({ signal })) };
  if (typeof checkable.ping === "function") return { description: `${type} client ping()`, run: async (signal) => void (await checkable.ping?.({ signal })) };
  if (client instanceof AkeneoClient) {
    return {
      description: "Akeneo token (password grant) and GET /api/rest/v1/products-uuid?limit=1 (what akeneo-products reads)",
      run: async (signal) => void (await client.page(client.productsListHref({ limit: 1 }), signal)),
    };
  }
  if (client instanceof ErpClient) {
    return {
      description: "ERP API key and GET /stock?limit=1 (what erp-stock reads)",
      run: async (signal) => void (await client.listStock({ limit: 1 }, { signal })),
    };
  }
  return undefined;
};

/** A check of one connector's settings against the external system; `run` returns what it verified. */
export interface ConnectorProbe {
  name: string;
  hint: string;
  run(signal: AbortSignal): Promise<string>;
}

/** The checks a connector declares (`checks.external`), run after the connection probe passed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any connector of the registry
export const connectorProbes = (connector: ResolvedConnector, definition: Connector<any, any> | undefined, client: unknown): ConnectorProbe[] =>
  (definition?.checks?.external ?? []).map((check) => ({
    name: `${connector.connector} ${check.name}`,
    hint: check.hint,
    run: (signal: AbortSignal) => check.run(client, connector.settings, signal),
  }));
