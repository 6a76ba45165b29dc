import { writeFileSync } from "node:fs";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { FaultConfig } from "../../sandboxes/common";
import { createEnvelope } from "../../shared/messages";
import { createRandom } from "../common/random";
import { formatPeek } from "../../ops/commands/dlq-peek";
import { decodeDlqMessage } from "../../ops/dlq-message";
import { describeHits, scanForSecrets, type SecretScanResult } from "../secrets-scan";
import { DEFAULT_RECONCILE_DELAY_MINUTES } from "../../functions/oro-orders-to-erp/reconcile";
import { type LossyWebhookStats, startLossyWebhookProxy } from "./lossy-webhooks";
import { ERP_KNOWN_SKUS, generateOrders, generateProducts, skuOf, type SourceOrder, type SourceProduct } from "./data";
import { type ProofStack, startProofStack } from "./stack-rig";
import { type AlertCheck, checkAlerts, checkDlq, checkOrders, checkProducts, type DlqCheck, type OrderCheck, type ProductCheck } from "./verify";

export interface ChaosOptions {
  seed: number;
  products: number;
  orders: number;
  /** Share of poison records among products and among orders. @default 0.01 */
  poisonRate?: number;
  /** Share of Oro and ERP requests that get a transient fault. @default 0.2 */
  faultRate?: number;
  /** Share of processed messages delivered again (each at most 3 times). @default 0.1 */
  duplicateRate?: number;
  /**
   * Share of Oro's webhook deliveries the receiver loses: half answered 500, half left to time
   * out. Oro retries neither, so these orders reach the ERP only through the connector's
   * reconciliation window. @default 0.1
   */
  lostWebhookRate?: number;
  /** Oro's webhook timeout during the run (Oro: 30 s; shorter so held deliveries end quickly). @default 1000 */
  webhookTimeoutMs?: number;
  /** Latency the Oro and ERP sandboxes add to each request (ms). @default 5 */
  latencyMs?: number;
  /** Visibility backoff base (s). @default 1 */
  backoffBaseSeconds?: number;
  /** Bound of the whole run (ms). @default 540000 */
  timeoutMs?: number;
  logFile?: string;
  progress?: (line: string) => void;
}

export interface ChaosResult {
  seed: number;
  durationMs: number;
  timedOut: boolean;
  products: ProductCheck;
  orders: OrderCheck;
  dlq: DlqCheck;
  alerts: AlertCheck;
  alertsDlq: number;
  notifierCrashes: string[];
  faults: { oro: Record<string, number>; erp: Record<string, number>; oroRequests: number; erpRequests: number };
  redelivered: number;
  /** Oro's webhook deliveries: attempts by outcome, and what the lossy receiver did (optional so older result fixtures still format). */
  webhooks?: { deliveries: number; outcomes: Record<string, number>; lost500: number; lostTimeout: number; receiver: LossyWebhookStats };
  secrets: SecretScanResult;
  secretHits: string[];
  lost: number;
  duplicated: number;
  poisonTotal: number;
  /** `chaos: lost <n>, duplicated <n>, poison in DLQ <a>/<b>, alerts <c>/<b>` */
  summary: string;
}

/**
 * The mix of transient faults, `rate` in all: connection resets, 429 with Retry-After, 5xx, and
 * slow bodies. The injector tries them in turn (reset, throttle, 5xx, slow), so each one's rate is
 * its share of the requests the earlier ones left.
 */
export const faultMix = (rate: number, seed: number, latencyMs: number, status: number): FaultConfig => {
  const shares = { connectionReset: 0.25, throttle: 0.25, serverError: 0.3, slowBody: 0.2 };
  let left = 1;
  const conditional = (share: number) => {
    const p = (rate * share) / left;
    left -= rate * share;
    return p;
  };
  return {
    seed,
    latencyMs,
    connectionReset: { rate: conditional(shares.connectionReset) },
    throttle: { rate: conditional(shares.throttle), retryAfterSeconds: 1 },
    serverError: { rate: conditional(shares.serverError), status },
    slowBody: { rate: conditional(shares.slowBody), delayMs: 300 },
  };
};

/** Sends the Akeneo window covering the whole chaos catalog (a backfill, as the ops CLI would). */
export const sendProductsWindow = async (ps: ProofStack, id: string, from: string, to: string): Promise<void> => {
  const target = ps.connector("akeneo-products");
  const envelope = createEnvelope({ id, integration: target.resolved.integration, connector: "akeneo-products", type: "window", payload: { from, to } });
  await ps.stack.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(envelope) }));
};

/** Seeds the Akeneo catalog with exactly these products. */
export const seedAkeneo = async (ps: ProofStack, products: SourceProduct[]): Promise<void> => {
  await ps.akeneo.admin.seed({ count: 0 });
  for (let i = 0; i < products.length; i += 2_000) await ps.akeneo.admin.putProducts(products.slice(i, i + 2_000).map((p) => p.product));
};

/** Creates the orders in Oro (each fires `order.created` to the ingress); returns their Oro ids. */
export const createOrders = async (ps: ProofStack, orders: SourceOrder[], concurrency = 4): Promise<string[]> => {
  const ids: string[] = new Array(orders.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < orders.length) {
        const index = next++;
        const order = orders[index] as SourceOrder;
        ids[index] = (await ps.oro.admin.createOrder({ identifier: order.identifier, lines: order.lines })).data.id;
      }
    }),
  );
  return ids;
};

/**
 * The chaos run: Akeneo products and Oro orders through the whole local stack while the Oro and
 * ERP sandboxes inject transient faults, with poison records among them and messages delivered up
 * to 3 times; then the final Oro and ERP state is compared with the source.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosResult> => {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 540_000;
  const random = createRandom(options.seed);
  const poisonRate = options.poisonRate ?? 0.01;
  const products = generateProducts(random, options.products, poisonRate);
  const orders = generateOrders(random, options.orders, poisonRate);
  const faultRate = options.faultRate ?? 0.2;
  const latencyMs = options.latencyMs ?? 5;

  const ps = await startProofStack({ backoffBaseSeconds: options.backoffBaseSeconds ?? 1, duplicateRate: options.duplicateRate ?? 0.1, seed: options.seed });
  const print = (line: string) => {
    ps.capture.print(line);
    options.progress?.(line);
  };
  let timedOut = false;
  const lostWebhookRate = options.lostWebhookRate ?? 0.1;
  const webhooks = await loseWebhooks(ps, lostWebhookRate, createRandom(options.seed ^ 0x10057), options.webhookTimeoutMs ?? 1_000);
  try {
    const poisonProducts = products.filter((p) => p.poison).length;
    const poisonOrders = orders.filter((o) => o.poison).length;
    print(
      `chaos: seed ${options.seed}, ${products.length} products (${poisonProducts} poison), ${orders.length} orders (${poisonOrders} poison), faults ${faultRate * 100}% at Oro and ERP, duplicate delivery ${(options.duplicateRate ?? 0.1) * 100}%, lost webhooks ${lostWebhookRate * 100}%`,
    );
    await seedAkeneo(ps, products);
    await ps.erp.admin.behaviour({ knownSkus: ERP_KNOWN_SKUS });
    await ps.oro.admin.faults(faultMix(faultRate, options.seed, latencyMs, 503));
    await ps.erp.admin.faults(faultMix(faultRate, options.seed + 1, latencyMs, 500));
    await ps.oro.admin.resetStats();
    await ps.erp.admin.resetStats();

    await sendProductsWindow(ps, `chaos-${options.seed}`, "2024-02-29T00:00:00Z", "2024-03-02T00:00:00Z");
    const orderIds = await createOrders(ps, orders);
    print(`chaos: source sent in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the queues to drain`);
    try {
      await ps.idle(Math.max(5_000, timeoutMs - (Date.now() - started)));
      // The orders' schedule fires, as EventBridge would once the reconciliation delay has passed:
      // its window covers the run, so it exports the orders whose webhooks were lost.
      const reconciliation = ps.connector("oro-orders-to-erp");
      const delay = Number(reconciliation.resolved.settings?.reconcileDelayMinutes ?? DEFAULT_RECONCILE_DELAY_MINUTES);
      const fired = await ps.stack.fireSchedules((c) => c === reconciliation, new Date(Date.now() + delay * 60_000 + 1_000));
      print(
        `chaos: webhooks lost ${webhooks.proxy.stats.answered500 + webhooks.proxy.stats.heldUntilTimeout} (500 ${webhooks.proxy.stats.answered500}, timeout ${webhooks.proxy.stats.heldUntilTimeout}); reconciliation windows fired ${fired}`,
      );
      await ps.idle(Math.max(5_000, timeoutMs - (Date.now() - started)));
    } catch (error) {
      timedOut = true;
      print(`chaos: ${(error as Error).message.slice(0, 500)}`);
    }
    const oroStats = ps.oro.stats();
    const erpStats = ps.erp.stats();
    await ps.oro.admin.faults({});
    await ps.erp.admin.faults({});

    const dlq = await ps.dlqMessages();
    const alertsDlq = await ps.alertsDlqMessages();
    const productCheck = checkProducts(ps.oro, products);
    const orderCheck = checkOrders(ps.oro, ps.erp, orders, orderIds);
    const dlqCheck = checkDlq(dlq, products, orders, orderIds);
    const poisonKeys = [...products.filter((p) => p.poison).map((p) => skuOf(p.product)), ...orders.filter((o) => o.poison).map((o) => o.identifier)];
    const alertCheck = checkAlerts(ps.oro, poisonKeys);
    ps.capture.stop();
    if (options.logFile) writeFileSync(options.logFile, `${ps.capture.lines.join("\n")}\n`);
    const notificationAlerts = ps.oro.store.list("notificationalerts");
    // What `ops dlq peek` would print for these DLQ messages is scanned as the ops CLI's output.
    const opsOutput = [...new Set(dlq.map((d) => d.connector))].map((type) => {
      const c = ps.connector(type);
      return formatPeek({
        integration: c.resolved.integration,
        connector: type,
        dlq: c.resolved.dlq.name,
        messages: dlq.filter((d) => d.connector === type).map((d) => decodeDlqMessage(d.message)),
        notReleased: 0,
      });
    });
    const secrets = scanForSecrets({
      secrets: ps.secretValues,
      tokens: ps.issuedTokens(),
      lines: ps.capture.lines,
      messages: [...dlq.map((d) => d.message), ...alertsDlq],
      queueMessages: await ps.queueMessages(),
      alerts: ps.alertEvents,
      notificationAlerts,
      opsOutput,
    });

    const lost = productCheck.missing.length + productCheck.wrong.length + orderCheck.missing.length + orderCheck.wrong.length;
    const duplicated = productCheck.duplicateProducts + productCheck.duplicateRows + orderCheck.duplicateErpOrders;
    const b = poisonKeys.length;
    return {
      seed: options.seed,
      durationMs: Date.now() - started,
      timedOut,
      products: productCheck,
      orders: orderCheck,
      dlq: dlqCheck,
      alerts: alertCheck,
      alertsDlq: alertsDlq.length,
      notifierCrashes: ps.notifierCrashes,
      faults: { oro: oroStats.faults, erp: erpStats.faults, oroRequests: oroStats.requests, erpRequests: erpStats.requests },
      redelivered: ps.redelivered(),
      webhooks: webhookSummary(ps, webhooks.proxy.stats),
      secrets,
      secretHits: describeHits(secrets.hits),
      lost,
      duplicated,
      poisonTotal: b,
      summary: `chaos: lost ${lost}, duplicated ${duplicated}, poison in DLQ ${dlqCheck.poisonWithReason}/${b}, alerts ${alertCheck.poisonAlerted}/${b}`,
    };
  } finally {
    await webhooks.proxy.close();
    await ps.stop();
  }
};

/**
 * Puts the lossy receiver between Oro's webhooks and the ingress (the webhooks the local stack
 * registered are re-pointed at it) and shortens Oro's webhook timeout for the run.
 */
const loseWebhooks = async (ps: ProofStack, rate: number, random: ReturnType<typeof createRandom>, timeoutMs: number) => {
  const ingress = ps.stack.endpoints.webhookUrl;
  if (!ingress) throw new Error("the chaos run needs the webhook ingress (deploy config `webhook`)");
  const proxy = await startLossyWebhookProxy(ingress, rate, random);
  const table = ps.oro.store.mustTable("webhooks");
  for (const webhook of ps.oro.store.list("webhooks")) {
    if (webhook.attributes.notificationUrl === ingress) table.put({ ...webhook, attributes: { ...webhook.attributes, notificationUrl: proxy.url } });
  }
  ps.oro.webhooks.configure({ timeoutMs });
  return { proxy };
};

const webhookSummary = (ps: ProofStack, receiver: LossyWebhookStats): NonNullable<ChaosResult["webhooks"]> => {
  const outcomes: Record<string, number> = {};
  let lost500 = 0;
  let lostTimeout = 0;
  for (const entry of ps.oro.webhooks.log) {
    outcomes[entry.outcome] = (outcomes[entry.outcome] ?? 0) + 1;
    if (entry.outcome === "failed" && entry.status === 500) lost500++;
    if (entry.outcome === "failed" && entry.status === null && entry.error?.startsWith("timed out")) lostTimeout++;
  }
  return { deliveries: ps.oro.webhooks.log.length, outcomes, lost500, lostTimeout, receiver };
};

const list = (items: string[], max = 5) =>
  items.length === 0 ? "" : `: ${items.slice(0, max).join("; ")}${items.length > max ? ` (+${items.length - max})` : ""}`;

/** The breakdown; the last line is the summary. */
export const formatChaosReport = (r: ChaosResult): string[] => [
  `chaos: seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s${r.timedOut ? " (TIMED OUT: counts are partial)" : ""}`,
  `faults injected: Oro ${JSON.stringify(r.faults.oro)} of ${r.faults.oroRequests} requests; ERP ${JSON.stringify(r.faults.erp)} of ${r.faults.erpRequests} requests; redelivered messages ${r.redelivered}`,
  ...(r.webhooks
    ? [
        `webhooks: ${r.webhooks.deliveries} delivery attempts ${JSON.stringify(r.webhooks.outcomes)}; lost (never retried, as in Oro): 500 ${r.webhooks.lost500}, timeout ${r.webhooks.lostTimeout}; receiver forwarded ${r.webhooks.receiver.forwarded} (answered after Oro gave up: ${r.webhooks.receiver.forwardedTooLate})`,
      ]
    : []),
  `products: ${r.products.source} in Akeneo (${r.products.good} good, ${r.products.poison} poison); missing ${r.products.missing.length}${list(r.products.missing)}; wrong ${r.products.wrong.length}${list(r.products.wrong)}; poison landed ${r.products.poisonLanded.length}${list(r.products.poisonLanded)}; duplicate products ${r.products.duplicateProducts}, duplicate rows ${r.products.duplicateRows}${list(r.products.duplicateRowExamples, 3)}`,
  `orders: ${r.orders.source} in Oro (${r.orders.good} good, ${r.orders.poison} poison); missing in ERP ${r.orders.missing.length}${list(r.orders.missing)}; wrong ${r.orders.wrong.length}${list(r.orders.wrong)}; poison landed ${r.orders.poisonLanded.length}${list(r.orders.poisonLanded)}; duplicate ERP orders ${r.orders.duplicateErpOrders}`,
  `dlq: ${r.dlq.messages} messages, codes ${JSON.stringify(r.dlq.codes)}; poison with reason ${r.dlq.poisonWithReason}, without ${r.dlq.poisonWithoutReason.length}${list(r.dlq.poisonWithoutReason)}; extra copies of poison (redeliveries) ${r.dlq.extraCopies}; not poison ${r.dlq.unexpected.length}${list(r.dlq.unexpected)}`,
  `alerts: ${r.alerts.total} in Oro; poison alerted ${r.alerts.poisonAlerted}, not ${r.alerts.poisonNotAlerted.length}${list(r.alerts.poisonNotAlerted)}, alerted more than once ${r.alerts.poisonDuplicateAlerts.length}${list(r.alerts.poisonDuplicateAlerts)}; other (transient) created ${r.alerts.otherCreated}, resolved ${r.alerts.otherResolved}/${r.alerts.otherCreated}, open ${r.alerts.otherOpen.length}${list(r.alerts.otherOpen, 3)}; alerts DLQ ${r.alertsDlq}; notifier crashes ${r.notifierCrashes.length}${list(r.notifierCrashes, 2)}`,
  ...r.secretHits.slice(0, 10).map((h) => `  ${h}`),
  r.secrets.summary,
  r.summary,
];

/** The goal: nothing lost or duplicated, every poison record in the DLQ with its reason and alerted, no secret, no timeout. */
export const chaosPassed = (r: ChaosResult): boolean =>
  !r.timedOut &&
  r.lost === 0 &&
  r.duplicated === 0 &&
  r.dlq.poisonWithReason === r.poisonTotal &&
  r.alerts.poisonAlerted === r.poisonTotal &&
  r.secrets.hits.length === 0;
