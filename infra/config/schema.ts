import * as z from "zod/mini";

/**
 * The deploy config: which integration instances exist, which connectors each runs, and the
 * knobs a connector's defaults leave open. JSON on disk (`deploy.config.json`), validated here
 * for shape and in `loadDeployConfig` against the connector registry. zod/mini so the local stack
 * and Lambdas can import it without pulling zod classic (docs/reference/toolchain.md §5).
 */

/** `rate(5 minutes)`: singular unit for 1, plural otherwise (what EventBridge Scheduler accepts). */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
/** `cron(min hour day-of-month month day-of-week year)`: six fields, as EventBridge Scheduler wants. */
const CRON = /^cron\(([^()]+)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#L-]+$/;

/** Why a schedule expression is invalid, or `undefined` when it is fine. */
export const scheduleExpressionProblem = (expression: string): string | undefined => {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? "";
    if (value < 1) return "a rate must be at least 1";
    if (value === 1 && unit.endsWith("s")) return `write rate(1 ${unit.slice(0, -1)}): the unit is singular for 1`;
    if (value > 1 && !unit.endsWith("s")) return `write rate(${value} ${unit}s): the unit is plural above 1`;
    return undefined;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = (cron[1] ?? "").trim().split(/\s+/);
    if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
    if (!fields.every((field) => CRON_FIELD.test(field))) return "a cron field holds an unexpected character";
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === "?") === (dayOfWeek === "?")) return "exactly one of day-of-month and day-of-week must be '?'";
    return undefined;
  }
  return "expected rate(<n> <unit>) or cron(<6 fields>); at(...) one-off schedules are not for connectors";
};

/** Minutes between runs of a `rate(...)` expression; `undefined` for cron (no fixed interval). */
export const rateIntervalMinutes = (expression: string): number | undefined => {
  const rate = RATE.exec(expression);
  if (!rate) return undefined;
  const perUnit: Record<string, number> = { minute: 1, hour: 60, day: 1440 };
  return Number(rate[1]) * (perUnit[(rate[2] ?? "").replace(/s$/, "")] ?? 1);
};

const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

/** Secrets Manager's name alphabet. */
const SecretNameSchema = z.string().check(
  z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: "a Secrets Manager secret name: letters, digits and /_+=.@-" }),
);

/** Lower-case so it can go into queue names and envelopes unchanged. */
export const IntegrationNameSchema = z.string().check(
  z.regex(/^[a-z][a-z0-9-]{0,31}$/, { error: "1-32 characters: lower-case letters, digits and '-', starting with a letter" }),
);

/** An Oro webhook topic, e.g. `order.created`. */
const TopicSchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,255}$/, { error: "a webhook topic such as order.created" }));

const ScheduleSchema = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = scheduleExpressionProblem(value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: value });
  }),
);

const TimeZoneSchema = z.string().check(z.refine(isTimeZone, { error: "an IANA time zone such as Europe/Berlin or UTC" }));

/** Overrides of one connector of one integration; every field is optional. */
export const ConnectorOverridesSchema = z.strictObject({
  /** @default true */
  enabled: z.optional(z.boolean()),
  /** EventBridge Scheduler expression. @default the connector's `defaults.schedule` (none: message-driven) */
  schedule: z.optional(ScheduleSchema),
  /** Time zone the cron expression is read in. @default "UTC" */
  timeZone: z.optional(TimeZoneSchema),
  /** Minutes a window reaches back before the previous one ended. @default 5 */
  windowOverlapMinutes: z.optional(int(0, 1440)),
  /** Records per invocation: up to 10 on FIFO, 10,000 on standard queues. @default connector's or 10 */
  batchSize: z.optional(int(1, 10_000)),
  /** Seconds the ESM gathers a batch; standard queues only. @default 0 */
  batchingWindowSeconds: z.optional(int(0, 300)),
  /** ESM maximum concurrency (AWS range 2-1000). @default 5 */
  maxConcurrency: z.optional(int(2, 1000)),
  /** @default connector's or 512 */
  memoryMb: z.optional(int(128, 10_240)),
  /** @default connector's or 60 */
  timeoutSeconds: z.optional(int(1, 900)),
  /** Queue visibility timeout; must stay at least 6x the function timeout. @default 6 x timeoutSeconds */
  visibilityTimeoutSeconds: z.optional(int(0, 43_200)),
  /** Receives before SQS moves a message to the DLQ. @default 10 */
  maxReceiveCount: z.optional(int(1, 1000)),
  /** Allows `maxReceiveCount` below 5 (risks dead-lettering throttled messages). @default false */
  allowLowMaxReceiveCount: z.optional(z.boolean()),
  /** FIFO queue and DLQ. @default connector's or false */
  fifo: z.optional(z.boolean()),
  /** Records (FIFO: groups) processed at once inside a batch. @default 4 */
  recordConcurrency: z.optional(int(1, 100)),
  /** Alarm threshold on the source queue's ApproximateAgeOfOldestMessage. @default 15 */
  oldestMessageAgeAlarmMinutes: z.optional(int(1, 20_160)),
  /** Free JSON passed to the connector as `context.settings` (mapping overrides, ...). @default {} */
  settings: z.optional(z.record(z.string(), z.unknown())),
});
export type ConnectorOverrides = z.infer<typeof ConnectorOverridesSchema>;

/** One integration instance: the serverless form of an Oro integration (System > Integrations). */
export const IntegrationConfigSchema = z.strictObject({
  name: IntegrationNameSchema,
  /** An integration type of the registry, e.g. `akeneo`. */
  type: z.string().check(z.minLength(1)),
  /** Secret holding the integration type's transport settings (JSON). */
  secretName: SecretNameSchema,
  /** Keyed by connector type; a connector not listed is not deployed. */
  connectors: z.record(z.string(), ConnectorOverridesSchema),
});
export type IntegrationConfig = z.infer<typeof IntegrationConfigSchema>;

export const WebhookRouteSchema = z.strictObject({ integration: IntegrationNameSchema, connector: z.string().check(z.minLength(1)) });
export type WebhookRoute = z.infer<typeof WebhookRouteSchema>;

/** The webhook ingress; absent means no ingress function and no Function URL. */
export const WebhookConfigSchema = z.strictObject({
  /** Secret holding the signing secret Oro's webhooks are HMAC-signed with (plain string or `{"secret": "..."}`). */
  secretName: SecretNameSchema,
  /**
   * Topic routes that pin or add to the ones derived from enabled connectors' `defaults.oroTopics`.
   * Needed when two enabled connectors claim the same topic.
   */
  topics: z.optional(z.record(TopicSchema, WebhookRouteSchema)),
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

export const DeployConfigSchema = z.strictObject({
  /** JSON Schema hint for editors; ignored. */
  $schema: z.optional(z.string()),
  /** @default "OroConnectors"; also the prefix of every queue name */
  stackName: z.optional(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, { error: "1-40 characters: letters, digits and '-', starting with a letter" }))),
  /** Region the stack is synthesized for; the account stays unresolved (account-agnostic). @default "us-east-1" */
  region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "an AWS region such as eu-central-1" }))),
  /** Secret holding the Oro connection `{baseUrl, apiPrefix?, clientId, clientSecret}`. */
  oroSecretName: SecretNameSchema,
  /** E-mail subscribed to the alarm topic (confirm the subscription mail). @default no subscription */
  alarmEmail: z.optional(z.email()),
  /** Principal allowed to assume the Oro producer role; the role is skipped when absent. */
  oroProducerPrincipalArn: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/, { error: "an IAM principal ARN, e.g. arn:aws:iam::123456789012:role/oro-app" }))),
  /** Powertools log level of every function. @default "INFO" */
  logLevel: z.optional(z.enum(["DEBUG", "INFO", "WARN", "ERROR"])),
  /** CloudWatch Logs retention of every function. @default 30 */
  logRetentionDays: z.optional(z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(180), z.literal(365)])),
  webhook: z.optional(WebhookConfigSchema),
  integrations: z.array(IntegrationConfigSchema),
});
export type DeployConfig = z.infer<typeof DeployConfigSchema>;
