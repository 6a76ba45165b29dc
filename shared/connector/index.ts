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
export type { ItemReplay } from "./item-failures";
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
  Logger,
  MessageSchemas,
  OroReadCheck,
  OutgoingMessage,
  SettingsProvider,
} from "./define";
