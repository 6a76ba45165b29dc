export { defineConnector, defineIntegrationType } from "./define";
export { ItemFailures } from "./item-failures";
export type { ItemReplay } from "./item-failures";
export type {
  Connector,
  ConnectorChecks,
  ConnectorContext,
  ConnectorDefaults,
  ConnectorMessage,
  Direction,
  ExternalCheck,
  IntegrationType,
  ItemFailure,
  Logger,
  MessageSchemas,
  OroReadCheck,
  OutgoingMessage,
  SettingsProvider,
} from "./define";
