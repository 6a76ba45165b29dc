import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AnyConnector, IntegrationType } from "../../shared/connector";

/** The repository root (infra/config/ is two levels down). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * What infra needs from the connector registry: the connectors and where their Lambda entries
 * live. The app passes `functions/registry.ts`; tests pass a fixture registry whose entries live
 * under test/fixtures/, so the stack never depends on which connectors have landed.
 */
export interface ConnectorRegistry {
  readonly connectors: readonly AnyConnector[];
  /**
   * Absolute path of a connector's Lambda entry (a file exporting `handler`).
   * @default `<repo>/functions/<type>/handler.ts`
   */
  readonly entryOf?: (connectorType: string) => string;
}

/** Default entry of a connector's Lambda: `functions/<type>/handler.ts`. */
export const defaultConnectorEntry = (connectorType: string): string => join(REPO_ROOT, "functions", connectorType, "handler.ts");

export const connectorEntry = (registry: ConnectorRegistry, connectorType: string): string => (registry.entryOf ?? defaultConnectorEntry)(connectorType);

/** Integration types of the registry, each once (a type is declared by its connectors). */
export const registryIntegrationTypes = (registry: ConnectorRegistry): IntegrationType[] => [
  ...new Set(registry.connectors.map((connector) => connector.integrationType as IntegrationType)),
];
