import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import * as z from "zod/mini";
import { settingsProblems } from "../../shared/connector/settings";
import { parseCron } from "../../shared/sync/cron";
import * as D from "./defaults";
import { DeployConfigError, formatPath } from "./errors";
import type { DeployConfigIssue } from "./errors";
import { registryIntegrationTypes } from "./registry";
import type { ConnectorRegistry } from "./registry";
import { RESERVED_SETTINGS_KEYS, resolveConnector, topicClaims } from "./resolve";
import { DeployConfigSchema } from "./schema";
import type { DeployConfig } from "./schema";

// English messages per parse, not through z.config(): a global locale would change every other
// schema's messages in the same process (the local stack imports this next to the runtime).
const english = z.locales.en().localeError;

const list = (names: readonly string[]): string => (names.length ? names.join(", ") : "none yet");

/**
 * Reads and checks a deploy config: its shape (schema.ts), then against the registry and the
 * AWS limits that only show at deploy time. Throws one `DeployConfigError` listing every problem,
 * each with its field path; returns the parsed config otherwise.
 *
 * Checks against the registry: the integration type exists; each listed connector exists and
 * belongs to that type; a schedule's message type is one the connector accepts; webhook routes
 * name an enabled connector that accepts the topic, and no topic is claimed twice unpinned; each
 * connector's `settings` against its settings schema, strictly (shared/connector/settings.ts).
 * AWS rules: FIFO batch size <= 10 and no batching window; a standard batch above 10 needs a
 * batching window >= 1 s; maxReceiveCount >= 5 unless `allowLowMaxReceiveCount`; visibility
 * timeout >= 6x function timeout; queue names <= 80 characters; CONNECTOR_SETTINGS fits the
 * 4 KB Lambda environment.
 *
 * @param source - a JSON file path (relative to the working directory) or an already parsed object
 * @param registry - the connectors the config may enable (the app passes functions/registry.ts)
 *
 * @example
 * import { connectors } from "../functions/registry";
 * const config = loadDeployConfig("deploy.config.json", { connectors });
 */
export const loadDeployConfig = (source: string | unknown, registry: ConnectorRegistry): DeployConfig => {
  const label = typeof source === "string" ? source : "object";
  let raw: unknown = source;
  if (typeof source === "string") {
    let text: string;
    try {
      text = readFileSync(resolvePath(source), "utf8");
    } catch (error) {
      throw new DeployConfigError(label, [{ path: "", message: `cannot read the file: ${(error as Error).message}` }]);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new DeployConfigError(label, [{ path: "", message: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const parsed = DeployConfigSchema.safeParse(raw, { error: english });
  if (!parsed.success) {
    throw new DeployConfigError(
      label,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  const issues = checkAgainstRegistry(parsed.data, registry);
  if (issues.length) throw new DeployConfigError(label, issues);
  return parsed.data;
};

/** The cross-checks of `loadDeployConfig` on a config of the right shape; returns every problem. */
/** Why the sync window of a cron schedule cannot be computed, or undefined when it can. */
const cronWindowProblem = (expression: string, timeZone: string): string | undefined => {
  try {
    parseCron(expression);
    new Intl.DateTimeFormat("en-US", { timeZone });
    return undefined;
  } catch (error) {
    return `${(error as Error).message}; or set settings.windowMinutes (the window of each run)`;
  }
};

export const checkAgainstRegistry = (config: DeployConfig, registry: ConnectorRegistry): DeployConfigIssue[] => {
  const issues: DeployConfigIssue[] = [];
  const issue = (path: PropertyKey[], message: string) => issues.push({ path: formatPath(path), message });
  const types = registryIntegrationTypes(registry).map((t) => t.type);
  const connectorTypes = registry.connectors.map((c) => c.type);
  const stackName = config.stackName ?? D.DEFAULT_STACK_NAME;
  const seen = new Set<string>();

  config.integrations.forEach((integration, i) => {
    const at = ["integrations", i];
    if (seen.has(integration.name)) issue([...at, "name"], `integration name '${integration.name}' is used twice`);
    seen.add(integration.name);
    if (!types.includes(integration.type)) {
      issue(
        [...at, "type"],
        `unknown integration type '${integration.type}' (registered types: ${list(types)}; a type exists once a connector of it is in functions/registry.ts)`,
      );
    }
    for (const [type, overrides] of Object.entries(integration.connectors)) {
      const cat = [...at, "connectors", type];
      const connector = registry.connectors.find((c) => c.type === type);
      if (!connector) {
        issue(
          cat,
          `connector '${type}' is not in the registry (functions/registry.ts; registered: ${list(connectorTypes)}): add it there before enabling it here`,
        );
        continue;
      }
      if (connector.integrationType.type !== integration.type) {
        issue(cat, `connector '${type}' belongs to integration type '${connector.integrationType.type}', not '${integration.type}'`);
      }
      const r = resolveConnector(config, integration, connector, overrides);
      const name = `${integration.name}/${type}`;
      if (r.queue.fifo) {
        if (r.batchSize > 10) issue([...cat, "batchSize"], `${name} uses a FIFO queue: batchSize ${r.batchSize} exceeds the FIFO maximum of 10`);
        if (r.batchingWindowSeconds > 0)
          issue(
            [...cat, "batchingWindowSeconds"],
            `${name} uses a FIFO queue: FIFO event source mappings take no batching window (got ${r.batchingWindowSeconds})`,
          );
      } else if (r.batchSize > 10 && r.batchingWindowSeconds < 1) {
        issue([...cat, "batchingWindowSeconds"], `${name}: batchSize ${r.batchSize} > 10 needs batchingWindowSeconds >= 1 (got ${r.batchingWindowSeconds})`);
      }
      if (r.maxReceiveCount < D.MIN_SAFE_MAX_RECEIVE_COUNT && overrides.allowLowMaxReceiveCount !== true) {
        issue(
          [...cat, "maxReceiveCount"],
          `${name}: maxReceiveCount ${r.maxReceiveCount} < ${D.MIN_SAFE_MAX_RECEIVE_COUNT} can dead-letter throttled messages; set allowLowMaxReceiveCount: true to accept that`,
        );
      }
      const minVisibility = r.timeoutSeconds * D.VISIBILITY_TIMEOUT_FACTOR;
      if (r.queue.visibilityTimeoutSeconds < minVisibility) {
        issue(
          [...cat, "visibilityTimeoutSeconds"],
          `${name}: visibility timeout ${r.queue.visibilityTimeoutSeconds} s is below ${D.VISIBILITY_TIMEOUT_FACTOR} x the function timeout ${r.timeoutSeconds} s = ${minVisibility} s`,
        );
      }
      if (r.queue.visibilityTimeoutSeconds > 43_200) {
        issue([...cat, "timeoutSeconds"], `${name}: visibility timeout ${r.queue.visibilityTimeoutSeconds} s exceeds the SQS maximum of 43200 s`);
      }
      if (r.schedule) {
        const accepted = Object.keys(connector.messages);
        if (!accepted.includes(r.schedule.messageType)) {
          issue(
            [...cat, "schedule"],
            `${name}: the schedule sends message type '${r.schedule.messageType}', which the connector does not accept (accepts: ${list(accepted)})`,
          );
        }
        // A cron window starts at the previous fire time (shared/sync/cron.ts), unless windowMinutes is set.
        const cronProblem =
          r.schedule.intervalMinutes === undefined && overrides.settings?.windowMinutes === undefined
            ? cronWindowProblem(r.schedule.expression, r.schedule.timeZone)
            : undefined;
        if (cronProblem) issue([...cat, "schedule"], `${name}: ${cronProblem}`);
      }
      if (r.dlq.name.length > D.MAX_QUEUE_NAME_LENGTH) {
        issue(
          [...at, "name"],
          `queue name '${r.dlq.name}' is ${r.dlq.name.length} characters; SQS allows ${D.MAX_QUEUE_NAME_LENGTH} (shorten stackName or the integration name)`,
        );
      }
      const reserved = RESERVED_SETTINGS_KEYS.filter((key) => overrides.settings && key in overrides.settings);
      if (reserved.length)
        issue([...cat, "settings"], `${reserved.join(", ")} ${reserved.length === 1 ? "is" : "are"} set by the stack; use the connector field instead`);
      // The connector's own settings schema, strictly (shared/connector/settings.ts): a typo or a wrong value fails here, not at run time.
      const userSettings = Object.fromEntries(
        Object.entries(overrides.settings ?? {}).filter(([key]) => !(RESERVED_SETTINGS_KEYS as readonly string[]).includes(key)),
      );
      for (const problem of settingsProblems(connector.settings, userSettings)) issue([...cat, "settings", ...problem.path], problem.message);
      const settingsBytes = Buffer.byteLength(JSON.stringify(r.settings));
      if (settingsBytes > D.MAX_CONNECTOR_SETTINGS_BYTES) {
        issue(
          [...cat, "settings"],
          `${name}: settings take ${settingsBytes} bytes as JSON; the Lambda environment (4 KB in all) leaves room for ${D.MAX_CONNECTOR_SETTINGS_BYTES}`,
        );
      }
    }
  });
  (config.secretsKmsKeyArns ?? []).forEach((arn, i) => {
    // Secrets Manager encrypts with a key of the secret's own Region: a key elsewhere cannot be it.
    const keyRegion = arn.split(":")[3];
    const region = config.region ?? D.DEFAULT_REGION;
    if (keyRegion !== region)
      issue(["secretsKmsKeyArns", i], `the key is in ${keyRegion ?? "?"}, the stack in ${region}: Secrets Manager only uses keys of the secret's own Region`);
  });
  issues.push(...checkWebhookRoutes(config, registry));
  if (Boolean(config.oroProducerPrincipalArn) !== Boolean(config.oroProducerExternalId)) {
    issue(
      ["oroProducerExternalId"],
      "oroProducerPrincipalArn and oroProducerExternalId go together: the producer role is assumed with an sts:ExternalId condition",
    );
  }
  if (`${stackName}-alerts-dlq`.length > D.MAX_QUEUE_NAME_LENGTH) issue(["stackName"], "too long for queue names");
  return issues;
};

const checkWebhookRoutes = (config: DeployConfig, registry: ConnectorRegistry): DeployConfigIssue[] => {
  const issues: DeployConfigIssue[] = [];
  if (!config.webhook) return issues;
  const pinned = config.webhook.topics ?? {};
  for (const [topic, route] of Object.entries(pinned)) {
    const path = formatPath(["webhook", "topics", topic]);
    const integration = config.integrations.find((i) => i.name === route.integration);
    const overrides = integration?.connectors[route.connector];
    const connector = registry.connectors.find((c) => c.type === route.connector);
    if (!integration) issues.push({ path, message: `no integration named '${route.integration}'` });
    else if (!overrides || overrides.enabled === false || !connector) {
      issues.push({ path, message: `connector '${route.connector}' is not enabled in integration '${route.integration}'` });
    } else if (!Object.keys(connector.messages).includes(topic)) {
      issues.push({
        path,
        message: `connector '${route.connector}' does not accept message type '${topic}' (accepts: ${list(Object.keys(connector.messages))})`,
      });
    }
  }
  for (const [topic, claimants] of topicClaims(config, registry)) {
    if (claimants.length > 1 && !(topic in pinned)) {
      const who = claimants.map((c) => `${c.integration}/${c.connector}`).join(", ");
      issues.push({ path: "webhook.topics", message: `topic '${topic}' is claimed by ${who}; pin one under webhook.topics["${topic}"]` });
    }
  }
  return issues;
};
