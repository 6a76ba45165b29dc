export { defineConnector, defineIntegrationType } from "./define";
export type {
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
