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
const SecretNameSchema = z.string().check(z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: "a Secrets Manager secret name: letters, digits and /_+=.@-" }));

/** A KMS key ARN; an alias ARN cannot be the resource of a kms:Decrypt grant. */
const KmsKeyArnSchema = z.string().check(
  z.regex(/^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/[A-Za-z0-9-]{1,128}$/, {
    error: "a KMS key ARN such as arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)",
  }),
);

/** Lower-case so it can go into queue names and envelopes unchanged. */
export const IntegrationNameSchema = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, { error: "1-32 characters: lower-case letters, digits and '-', starting with a letter" }));

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
  enabled: z.optional(z.boolean()).check(z.describe("Deploy this connector. Default: true.")),
  schedule: z
    .optional(ScheduleSchema)
    .check(z.describe("EventBridge Scheduler expression. Default: the connector's `defaults.schedule` (none: message-driven).")),
  timeZone: z.optional(TimeZoneSchema).check(z.describe('Time zone the cron expression is read in. Default: "UTC".')),
  windowOverlapMinutes: z.optional(int(0, 1440)).check(z.describe("Minutes a window reaches back before the previous one ended. Default: 5.")),
  batchSize: z.optional(int(1, 10_000)).check(z.describe("Records per invocation: up to 10 on FIFO, 10,000 on standard queues. Default: connector's or 10.")),
  batchingWindowSeconds: z.optional(int(0, 300)).check(z.describe("Seconds the ESM gathers a batch; standard queues only. Default: 0.")),
  maxConcurrency: z.optional(int(2, 1000)).check(z.describe("ESM maximum concurrency (AWS range 2-1000). Default: 5.")),
  memoryMb: z.optional(int(128, 10_240)).check(z.describe("Function memory in MB. Default: connector's or 512.")),
  timeoutSeconds: z.optional(int(1, 900)).check(z.describe("Function timeout in seconds. Default: connector's or 60.")),
  visibilityTimeoutSeconds: z
    .optional(int(0, 43_200))
    .check(z.describe("Queue visibility timeout; must stay at least 6x the function timeout. Default: 6 x timeoutSeconds.")),
  maxReceiveCount: z.optional(int(1, 1000)).check(z.describe("Receives before SQS moves a message to the DLQ. Default: 10.")),
  allowLowMaxReceiveCount: z
    .optional(z.boolean())
    .check(z.describe("Allows `maxReceiveCount` below 5 (risks dead-lettering throttled messages). Default: false.")),
  fifo: z.optional(z.boolean()).check(z.describe("FIFO queue and DLQ. Default: connector's or false.")),
  recordConcurrency: z.optional(int(1, 100)).check(z.describe("Records (FIFO: groups) processed at once inside a batch. Default: 4.")),
  oldestMessageAgeAlarmMinutes: z
    .optional(int(1, 20_160))
    .check(z.describe("Alarm threshold on the source queue's ApproximateAgeOfOldestMessage. Default: 15.")),
  settings: z
    .optional(z.record(z.string(), z.unknown()))
    .check(z.describe("Free JSON passed to the connector as `context.settings` (mapping overrides, ...). Default: {}.")),
});
export type ConnectorOverrides = z.infer<typeof ConnectorOverridesSchema>;

/** Lambda takes up to 16 subnets and 5 security groups per function (docs/reference/aws-deploy.md section 4). */
export const MAX_VPC_SUBNETS = 16;
export const MAX_VPC_SECURITY_GROUPS = 5;
const SubnetIdSchema = z.string().check(z.regex(/^subnet-[0-9a-f]{8,17}$/, { error: "a subnet id such as subnet-0123456789abcdef0" }));
const SecurityGroupIdSchema = z.string().check(z.regex(/^sg-[0-9a-f]{8,17}$/, { error: "a security group id such as sg-0123456789abcdef0" }));
const uniqueItems = (what: string) => z.refine<string[]>((items) => new Set(items).size === items.length, { error: `each ${what} once` });

/**
 * VPC placement of an integration's connector functions, for an ERP on a private network or
 * behind an IP allowlist: private subnets whose route to the internet goes through the team's
 * NAT gateway (its Elastic IP is what the allowlist names), and security groups that allow the
 * egress. By id: the stack does no lookups.
 */
export const VpcPlacementSchema = z.strictObject({
  subnetIds: z
    .array(SubnetIdSchema)
    .check(z.minLength(1), z.maxLength(MAX_VPC_SUBNETS), uniqueItems("subnet"))
    .check(z.describe("Private subnets (ideally two or more, in different Availability Zones).")),
  securityGroupIds: z
    .array(SecurityGroupIdSchema)
    .check(z.minLength(1), z.maxLength(MAX_VPC_SECURITY_GROUPS), uniqueItems("security group"))
    .check(z.describe("Security groups of the functions' network interfaces (egress to the ERP, SQS, Secrets Manager).")),
});
export type VpcPlacement = z.infer<typeof VpcPlacementSchema>;

/** One integration instance: the serverless form of an Oro integration (System > Integrations). */
export const IntegrationConfigSchema = z.strictObject({
  name: IntegrationNameSchema.check(z.describe("Names the instance in queue names, envelopes and alerts, e.g. `erp-main`.")),
  type: z.string().check(z.minLength(1)).check(z.describe("An integration type of the registry, e.g. `akeneo`.")),
  secretName: SecretNameSchema.check(z.describe("Secret holding the integration type's transport settings (JSON).")),
  vpc: z.optional(VpcPlacementSchema).check(z.describe("Runs the integration's connector functions in a VPC. Default: not in a VPC (Lambda's own egress).")),
  connectors: z.record(z.string(), ConnectorOverridesSchema).check(z.describe("Keyed by connector type; a connector not listed is not deployed.")),
});
export type IntegrationConfig = z.infer<typeof IntegrationConfigSchema>;

export const WebhookRouteSchema = z.strictObject({ integration: IntegrationNameSchema, connector: z.string().check(z.minLength(1)) });
export type WebhookRoute = z.infer<typeof WebhookRouteSchema>;

/** The webhook ingress; absent means no ingress function and no Function URL. */
export const WebhookConfigSchema = z.strictObject({
  secretName: SecretNameSchema.check(
    z.describe(
      'Secret holding the key Oro\'s webhooks are HMAC-signed with, as JSON `{"secret": "...", "previousSecret"?: "..."}` (functions/webhook-ingress/README.md); a plain-string secret is refused.',
    ),
  ),
  topics: z
    .optional(z.record(TopicSchema, WebhookRouteSchema))
    .check(
      z.describe(
        "Topic routes that pin or add to the ones derived from enabled connectors' `defaults.oroTopics`. Needed when two enabled connectors claim the same topic.",
      ),
    ),
  reservedConcurrency: z
    .optional(z.union([z.int().check(z.minimum(1), z.maximum(1000)), z.literal(false)]))
    .check(
      z.describe(
        "Reserved concurrency of the ingress function: caps what a flood on the public Function URL can take from the account's concurrency (throttled requests get 429, which Oro redelivers) and guarantees the ingress that much. `false` reserves none: an account whose concurrency quota is below 100 + this cannot reserve (docs/deploy.md). Default: 10.",
      ),
    ),
  replayWindowSeconds: z
    .optional(z.int().check(z.minimum(300), z.maximum(7 * 86_400)))
    .check(
      z.describe(
        "Oldest webhook body `timestamp` accepted, in seconds; older deliveries are refused as replays. Must cover Oro's redeliveries of 429/503 answers and consumer lag (docs/reference/security.md §3). Default: 86400 (24 h).",
      ),
    ),
  maxClockSkewSeconds: z
    .optional(z.int().check(z.minimum(0), z.maximum(3600)))
    .check(z.describe("Seconds a webhook body `timestamp` may be ahead of AWS's clock. Default: 300.")),
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

export const DeployConfigSchema = z.strictObject({
  $schema: z.optional(z.string()).check(z.describe("JSON Schema hint for editors; ignored.")),
  stackName: z
    .optional(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, { error: "1-40 characters: letters, digits and '-', starting with a letter" })))
    .check(z.describe('Default: "OroConnectors"; also the prefix of every queue name.')),
  region: z
    .optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "an AWS region such as eu-central-1" })))
    .check(z.describe('Region the stack is synthesized for; the account stays unresolved (account-agnostic). Default: "us-east-1".')),
  oroSecretName: SecretNameSchema.check(z.describe("Secret holding the Oro connection `{baseUrl, apiPrefix?, clientId, clientSecret}`.")),
  alarmEmail: z.optional(z.email()).check(z.describe("E-mail subscribed to the alarm topic (confirm the subscription mail). Default: no subscription.")),
  oroProducerPrincipalArn: z
    .optional(
      z.string().check(
        z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, {
          error: "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/oro-app (an account or user is not accepted)",
        }),
      ),
    )
    .check(
      z.describe(
        "IAM role allowed to assume the Oro producer role (a role ARN: an account root would let every principal of that account in); the producer role is skipped when absent. Needs `oroProducerExternalId`.",
      ),
    ),
  oroProducerExternalId: z
    .optional(z.string().check(z.regex(/^[\w+=,.@:/-]{2,1224}$/, { error: "2-1224 characters: letters, digits and +=,.@:/-_" })))
    .check(
      z.describe(
        "The `sts:ExternalId` the Oro producer must pass when it assumes the role (STS allows 2-1224 characters of `[\\w+=,.@:/-]`). Required with `oroProducerPrincipalArn`.",
      ),
    ),
  secretsKmsKeyArns: z
    .optional(z.array(KmsKeyArnSchema).check(z.minLength(1), z.maxLength(10), uniqueItems("key")))
    .check(
      z.describe(
        "Customer-managed KMS keys (key ARNs, not aliases) that encrypt any of the secrets above. Every function that reads a secret gets `kms:Decrypt` on them, only through Secrets Manager and only for its own secrets. Not needed for the default `aws/secretsmanager` key. Default: none.",
      ),
    ),
  logLevel: z.optional(z.enum(["DEBUG", "INFO", "WARN", "ERROR"])).check(z.describe('Powertools log level of every function. Default: "INFO".')),
  logRetentionDays: z
    .optional(
      z.union([
        z.literal(1),
        z.literal(3),
        z.literal(5),
        z.literal(7),
        z.literal(14),
        z.literal(30),
        z.literal(60),
        z.literal(90),
        z.literal(180),
        z.literal(365),
      ]),
    )
    .check(z.describe("CloudWatch Logs retention of every function. Default: 30.")),
  webhook: z.optional(WebhookConfigSchema).check(z.describe("The webhook ingress (a Lambda Function URL Oro's webhooks post to). Default: none, no ingress.")),
  integrations: z.array(IntegrationConfigSchema).check(z.describe("The integration instances, each with the connectors it runs.")),
});
export type DeployConfig = z.infer<typeof DeployConfigSchema>;
