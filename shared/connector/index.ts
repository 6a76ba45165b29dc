export { defineConnector, defineIntegrationType } from "./define";
export {
  CommonSettingsShape,
  configSettingsSchema,
  deployedSettingsSchema,
  NoSettings,
  parseConnectorSettings,
  RESERVED_SETTINGS_KEYS,
  settingsProblems,
  StackSettingsShape,
} from "./settings";
export type { ConnectorSettings, SettingsProblem, SettingsSchema } from "./settings";
export { ItemFailures } from "./item-failures";
export type { ItemReplay, WithReplays } from "./item-failures";
export type {
  AnyConnector,
  Connector,
  ConnectorChecks,
  ConnectorContext,
  ConnectorDefaults,
  ConnectorMessage,
  Direction,
  ExternalCheck,
  IntegrationType,
  ItemFailure,
  LedgerDeclaration,
  MessageSchemas,
  OroReadCheck,
  OutgoingMessage,
  SettingsProvider,
} from "./define";
/** The logger type lives with the logger (shared/observability); connectors import it from here as before. */
export type { Logger } from "../observability";
