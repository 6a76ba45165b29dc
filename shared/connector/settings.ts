import * as z from "zod/mini";
import { en } from "zod/locales";
import { ConfigurationError } from "../errors";

/**
 * Connector settings: the deploy config's `settings` of one connector, checked against the
 * connector's own schema (`defineConnector({ settings })`) plus the keys every connector shares,
 * strictly (an unknown key, e.g. a typo, is refused). The same parse runs at `cdk synth`, in the
 * local stack and in `ops` (infra/config/load.ts, through `settingsProblems`) and once per
 * container in the runtime (`parseConnectorSettings`), so a bad setting fails up front with its
 * field path instead of as a retried error at run time.
 */

/** A connector's settings schema: a zod/mini object (read as strict whatever the author wrote). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object shape
export type SettingsSchema = z.ZodMiniObject<any, any>;

const positiveInt = () => z.int().check(z.positive());

/** Keys every connector accepts in its deploy config `settings`; shared code reads them. */
export const CommonSettingsShape = {
  /** Hand-overs one chain may make before the runtime dead-letters it (shared/runtime/config.ts). */
  maxChainHops: z.optional(positiveInt()),
  /** The window of each scheduled run in minutes, for a cron schedule without a fixed interval (shared/sync/window.ts). */
  windowMinutes: z.optional(z.number().check(z.positive())),
  /** Milliseconds kept for a listing's hand-over before the deadline (shared/sync/listing.ts). */
  handoverMarginMs: z.optional(z.int().check(z.gte(0))),
};

/**
 * Keys the stack writes into CONNECTOR_SETTINGS from the connector's own deploy config fields
 * (infra/config/resolve.ts); the config's `settings` may not use them.
 */
export const StackSettingsShape = {
  windowOverlapMinutes: z.optional(z.number().check(z.gte(0))),
  schedule: z.optional(z.string()),
  timeZone: z.optional(z.string()),
  scheduleMessageType: z.optional(z.string()),
  scheduleIntervalMinutes: z.optional(z.number().check(z.positive())),
};

/** Keys of {@link StackSettingsShape}: set by the stack, refused in a config's `settings`. */
export const RESERVED_SETTINGS_KEYS = Object.keys(StackSettingsShape) as (keyof typeof StackSettingsShape)[];

/** A connector without a schema of its own takes only the common keys. */
export const NoSettings = z.strictObject({});
export type NoSettings = typeof NoSettings;

/** What `context.settings` is for a connector with settings schema `S`. */
export type ConnectorSettings<S extends SettingsSchema = NoSettings> = z.output<S> &
  z.output<z.ZodMiniObject<typeof CommonSettingsShape>> &
  z.output<z.ZodMiniObject<typeof StackSettingsShape>>;

/** The schema of a config's `settings` (what a user writes): the connector's keys and the common ones. */
export const configSettingsSchema = (schema: SettingsSchema | undefined) => z.strictObject({ ...(schema?.shape ?? {}), ...CommonSettingsShape });

/** The schema of the CONNECTOR_SETTINGS JSON (what the runtime reads): the config's keys plus the stack's. */
export const deployedSettingsSchema = (schema: SettingsSchema | undefined) =>
  z.strictObject({ ...(schema?.shape ?? {}), ...CommonSettingsShape, ...StackSettingsShape });

/** One problem of a settings object: the field path under `settings` and what is wrong. */
export interface SettingsProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

// The English messages imported by name: `z.locales.en` would keep zod's whole locales namespace
// (about 260 KB of every minified bundle, compiled on each cold start; bench:coldstart).
const english = en().localeError;

const problemsOf = (error: z.core.$ZodError): SettingsProblem[] =>
  error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: "is not a setting of this connector (a typo?)" }))
      : [{ path: issue.path, message: issue.message }],
  );

/** Every problem of a config's `settings` against a connector's schema (empty: fine). */
export const settingsProblems = (schema: SettingsSchema | undefined, settings: unknown): SettingsProblem[] => {
  const parsed = configSettingsSchema(schema).safeParse(settings ?? {}, { error: english });
  return parsed.success ? [] : problemsOf(parsed.error);
};

/**
 * Parses CONNECTOR_SETTINGS for a connector: once per container, in the runtime. A bad value is a
 * ConfigurationError naming each field (`settings.pageSize: ...`); `cdk synth` refuses the same
 * config, so this only fires for a function deployed by other means.
 */
export const parseConnectorSettings = <S extends SettingsSchema = NoSettings>(
  connectorType: string,
  schema: S | undefined,
  settings: unknown,
): ConnectorSettings<S> => {
  const parsed = deployedSettingsSchema(schema).safeParse(settings ?? {}, { error: english });
  if (!parsed.success) {
    const list = problemsOf(parsed.error).map((p) => `settings.${p.path.map(String).join(".")}: ${p.message}`);
    throw new ConfigurationError(
      `${connectorType} settings are invalid: ${list.join("; ")} (fix the connector's settings in the deploy config and deploy again)`,
    );
  }
  return parsed.data as ConnectorSettings<S>;
};
