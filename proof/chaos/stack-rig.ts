import type { Message } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { createNotifierHandler } from "../../functions/notifier/create-handler";
import { type DuplicateDelivery, type EventSourceMapping, startEventSourceMapping } from "../../local-stack/event-source-mapping";
import { renderSecrets } from "../../local-stack/settings";
import { type LocalConnector, LOCAL_NOTIFIER_BATCHING_WINDOW_MS, type LocalStack, localEventSource, startLocalStack } from "../../local-stack/stack";
import { RuntimeEnv } from "../../shared/runtime/env";
import type { AkeneoSandbox } from "../../sandboxes/akeneo";
import type { ErpSandbox } from "../../sandboxes/erp";
import type { OroSandbox } from "../../sandboxes/oro";
import { closeAll } from "../../shared/http";
import { secretLeaves } from "../secrets-scan";
import { captureOutput, type OutputCapture } from "../common/capture";
import { createRandom } from "../common/random";
import { malformedResponse } from "../common/rig";
import { receiveAll } from "../common/sqs";

/**
 * The whole local stack (local-stack/stack.ts: fauxqs, local Secrets Manager, the Oro/Akeneo/ERP
 * sandboxes, every connector behind the event source mapping, the notifier, the webhook ingress)
 * as chaos and outage runs use it: logs captured for the secret scan, the notifier's input kept
 * (its mapping is replaced by one built exactly as the stack builds it, around the same handler,
 * with an observer), optional duplicate delivery on every mapping, and readers for the DLQs.
 */
export interface ProofStackOptions {
  /** Visibility backoff base of the runtime and the notifier (s). */
  backoffBaseSeconds: number;
  /** The notifier's own, when it should differ (0: its events retry at once and reach its DLQ quickly). */
  notifierBackoffBaseSeconds?: number;
  /** At-least-once delivery on every mapping (connectors and notifier); seeded by `seed`. */
  duplicateRate?: number;
  seed: number;
  deployConfigPath?: string;
}

export interface ProofStack {
  stack: LocalStack;
  oro: OroSandbox;
  akeneo: AkeneoSandbox;
  erp: ErpSandbox;
  capture: OutputCapture;
  /** Alert events the notifier received (first delivery of each). */
  alertEvents: unknown[];
  /** Notifier batches that threw or answered in a way Lambda reads as a full failure. */
  notifierCrashes: string[];
  notifierMapping: EventSourceMapping;
  /** Every secret value the stack was given (and any added later, e.g. rotated ones). */
  secretValues: string[];
  connector(type: string): LocalConnector;
  /** Waits until every queue (connectors, then alerts) is drained; bounded. */
  idle(timeoutMs: number): Promise<void>;
  /** Every OAuth token the Oro and Akeneo sandboxes issued so far (the secret scan looks for them). */
  issuedTokens(): string[];
  /** Messages still on the connector queues and the alerts queue (kept in flight, not deleted). */
  queueMessages(): Promise<Message[]>;
  /** Every message of every connector DLQ, with its connector type (kept in flight, not deleted). */
  dlqMessages(): Promise<{ connector: string; message: Message }[]>;
  alertsDlqMessages(): Promise<Message[]>;
  /** Mappings' redeliveries so far. */
  redelivered(): number;
  stop(): Promise<void>;
}

/** The sensitive leaves of the stack's secrets, at any depth (identifiers such as client ids stay readable). */
export { secretLeaves };

export const startProofStack = async (options: ProofStackOptions): Promise<ProofStack> => {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  const capture = captureOutput();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ephemeralPorts: true,
      endpointsFile: false,
      fireSchedulesAtStart: false,
      backoffBaseSeconds: options.backoffBaseSeconds,
      ...(options.deployConfigPath ? { deployConfigPath: options.deployConfigPath } : {}),
    });
  } catch (error) {
    capture.stop();
    throw error;
  }
  const { oro, akeneo, erp } = stack.sandboxes;
  if (!oro || !akeneo || !erp) {
    await stack.stop();
    capture.stop();
    throw new Error("proof runs need the Oro, Akeneo and ERP sandboxes enabled (local-stack/local.json)");
  }

  // The notifier as the stack runs it, observed: the environment the stack gave it and the plan's mapping.
  await stack.alerts.mapping.stop();
  const notifier = createNotifierHandler({
    env: { ...stack.alerts.env, [RuntimeEnv.BACKOFF_BASE_SECONDS]: String(options.notifierBackoffBaseSeconds ?? options.backoffBaseSeconds) },
  });
  const alertEvents: unknown[] = [];
  const notifierCrashes: string[] = [];
  const observed = async (event: SQSEvent, context: Context) => {
    for (const record of event.Records) {
      if (record.attributes.ApproximateReceiveCount !== "1") continue;
      try {
        alertEvents.push(JSON.parse(record.body));
      } catch {
        alertEvents.push(record.body);
      }
    }
    try {
      const response = await notifier(event, context);
      const malformed = malformedResponse(event, response);
      if (malformed) notifierCrashes.push(malformed);
      return response;
    } catch (error) {
      notifierCrashes.push(`threw ${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, 300));
      throw error;
    }
  };
  const random = createRandom(options.seed ^ 0x5eed);
  const duplicates: DuplicateDelivery | undefined = options.duplicateRate ? { rate: options.duplicateRate, maxDeliveries: 3, random: random.next } : undefined;
  const notifierMapping = startEventSourceMapping({
    sqs: stack.sqs,
    queueUrl: stack.alerts.queueUrl,
    handler: observed,
    ...localEventSource(stack.plan.notifier.function, stack.plan.notifier.eventSource, LOCAL_NOTIFIER_BATCHING_WINDOW_MS),
    ...(duplicates ? { duplicateDelivery: duplicates } : {}),
  });
  for (const c of stack.connectors) c.mapping.setDuplicateDelivery(duplicates);

  const secretValues = secretLeaves(renderSecrets(stack.settings, stack.sandboxes.urls));
  const connector = (type: string) => {
    const found = stack.connectors.find((c) => c.resolved.connector === type);
    if (!found) throw new Error(`the deploy config does not enable ${type}`);
    return found;
  };

  return {
    stack,
    oro,
    akeneo,
    erp,
    capture,
    alertEvents,
    notifierCrashes,
    notifierMapping,
    secretValues,
    connector,
    async idle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // The stack's idle covers the connectors, the webhook deliveries and the alerts queue (its
      // depth counts the messages our notifier has in flight); then our notifier's invocations.
      await stack.idle(Math.max(1_000, deadline - Date.now()));
      await notifierMapping.idle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
    },
    issuedTokens: () => [...oro.tokens.issued(), ...akeneo.issuedTokens()],
    async queueMessages() {
      const all: Message[] = [];
      for (const url of [...stack.connectors.map((c) => c.queueUrl), stack.alerts.queueUrl]) all.push(...(await receiveAll(stack.sqs, url)));
      return all;
    },
    async dlqMessages() {
      const all: { connector: string; message: Message }[] = [];
      for (const c of stack.connectors) for (const message of await receiveAll(stack.sqs, c.dlqUrl)) all.push({ connector: c.resolved.connector, message });
      return all;
    },
    alertsDlqMessages: () => receiveAll(stack.sqs, stack.alerts.dlqUrl),
    redelivered: () => stack.connectors.reduce((sum, c) => sum + c.mapping.stats.redelivered, notifierMapping.stats.redelivered),
    async stop() {
      await notifierMapping.stop();
      await stack.stop();
      await closeAll();
      capture.stop();
    },
  };
};
