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
export type {
  AnyConnector,
  Connector,
  ConnectorContext,
  ConnectorDefaults,
  ConnectorMessage,
  Direction,
  IntegrationType,
  ItemFailure,
  Logger,
  MessageSchemas,
  OutgoingMessage,
  SettingsProvider,
} from "./define";
