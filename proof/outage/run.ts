import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import { formatPeek, peekDlq } from "../../ops/commands/dlq-peek";
import { redriveDlq, type RedriveResult } from "../../ops/commands/dlq-redrive";
import { createContext } from "../../ops/context";
import { REPO_ROOT } from "../../infra/config";
import { renderSecrets } from "../../local-stack/settings";
import { createRandom } from "../common/random";
import { describeHits, scanForSecrets, type SecretScanResult } from "../secrets-scan";
import { CHAOS_UPDATED_AT, generateOrders, type SourceOrder, type SourceProduct } from "../chaos/data";
import { createOrders, sendProductsWindow } from "../chaos/run";
import { type ProofStack, startProofStack } from "../chaos/stack-rig";
import { checkOrders, checkProducts } from "../chaos/verify";
import { deadRecords, landedAfterRedrive } from "./verify";
import { generateCatalog } from "../../sandboxes/akeneo";
import type { Table } from "../../sandboxes/oro/model/table";

export interface OutageOptions {
  seed: number;
  /** Akeneo products / Oro orders of the outage phase. */
  products: number;
  orders: number;
  /** Akeneo products / Oro orders synced while the secrets rotate. */
  rotationProducts: number;
  rotationOrders: number;
  /** maxReceiveCount of the connector queues during the outage (the rotation runs with the deploy config's). @default 5 */
  maxReceiveCount?: number;
  /** Bound of the whole run (ms). @default 300000 */
  timeoutMs?: number;
  logFile?: string;
  progress?: (line: string) => void;
}

export interface OutageResult {
  seed: number;
  durationMs: number;
  timedOut: boolean;
  outage: {
    /** Products in Oro before the outage began (the sync was under way). */
    landedBefore: number;
    outageMs: number;
    /** Records (products of dead-lettered pages, orders) in the connector DLQs when Oro came back. */
    inDlq: number;
    dlqMessages: number;
    landedAfterRedrive: number;
    /** Notifier events dead-lettered while Oro was down, and moved back. */
    alertsDlq: number;
    alertsRedriven: number;
    /** Unresolved alerts in Oro once Oro was back (before the connector redrive). */
    alertsCreated: number;
    /** Of those, resolved=true after the redrive succeeded. */
    alertsResolved: number;
    redrives: Pick<RedriveResult, "connector" | "method" | "moved" | "failed" | "kept" | "notDeleted">[];
    lost: number;
    duplicated: number;
    /** products, rows, ERP orders (outage phase), then the same of the rotation phase. */
    duplicates: number[];
    duplicateRowExamples: string[];
    missing: string[];
    leftInDlq: number;
  };
  rotation: {
    rotated: string[];
    /** Products in Oro once both secrets had rotated (fewer than the phase's: the sync was under way). */
    landedAtRotation: number;
    missing: string[];
    dlqMessages: number;
    /** Alerts raised during the rotation still open at the end. */
    openAlerts: string[];
    alertsRaised: number;
    lastingFailures: number;
  };
  secrets: SecretScanResult;
  secretHits: string[];
  /** `outage: lost <n>, landed after redrive <a>/<b>, alerts created <c>, resolved <d>/<c>; rotation: lasting failures <n>` */
  summary: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `test` holds; false on timeout. */
const until = async (test: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (test()) return true;
    await sleep(50);
  }
  return test();
};

/**
 * Runs `action` in the same tick as the put that brings `table` to `rows` rows (a test control of
 * the Oro sandbox), so a proof acts at an exact point of a sync rather than after a poll.
 */
const atRowCount = (table: Table, rows: number, action: () => void) => {
  let fired = false;
  const listener = () => {
    if (fired || table.size < rows) return;
    fired = true;
    table.afterPut.delete(listener);
    action();
  };
  table.afterPut.add(listener);
  return {
    /** Waits (bounded) for the action; throws `message` if the count was never reached. */
    reached: async (timeoutMs: number, message: string) => {
      const ok = await until(() => fired, timeoutMs);
      table.afterPut.delete(listener);
      if (!ok) throw new Error(message);
    },
  };
};

/** The deploy config with a lower maxReceiveCount on every connector, in a temporary file. */
const deployConfigWith = (maxReceiveCount: number): { path: string; dir: string } => {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "deploy.config.json"), "utf8")) as {
    integrations: { connectors: Record<string, Record<string, unknown>> }[];
  };
  for (const integration of config.integrations)
    for (const connector of Object.values(integration.connectors)) {
      connector.maxReceiveCount = maxReceiveCount;
      // Below 5 the config asks for this flag (throttled messages could be dead-lettered; here that is the point).
      if (maxReceiveCount < 5) connector.allowLowMaxReceiveCount = true;
    }
  const dir = mkdtempSync(join(tmpdir(), "outage-"));
  const path = join(dir, "deploy.config.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { path, dir };
};

const productsOf = (prefix: string, count: number, updatedAt: string): SourceProduct[] =>
  generateCatalog({ count, prefix, updatedAt, families: ["default_family"] }).map((product) => ({ product }));

/** Waits until every connector queue is drained (the notifier may still be failing). */
const connectorsIdle = async (ps: ProofStack, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  await ps.oro.webhooks.idle();
  for (let round = 0; round < 2; round++) for (const c of ps.stack.connectors) await c.mapping.idle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
};

/**
 * The outage run, on the whole local stack:
 * 1. Outage: a products sync is under way when Oro starts answering every request with 503 or a
 *    connection reset; orders are created meanwhile. Oro stays down until every connector queue
 *    has drained, i.e. every record not yet written has exhausted maxReceiveCount into its DLQ.
 *    Oro comes back; the notifier's dead-lettered events are moved back; the alerts are in Oro.
 *    The connector DLQs are redriven with the ops CLI's `redriveDlq`; everything must land and
 *    the alerts must be resolved.
 * 2. Rotation: while another sync runs, the Oro client secret is rotated in Oro (old tokens
 *    revoked) and then in Secrets Manager, and the Akeneo password likewise; everything must land
 *    with no DLQ message and no open alert.
 */
export const runOutage = async (options: OutageOptions): Promise<OutageResult> => {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const left = () => Math.max(5_000, timeoutMs - (Date.now() - started));
  const random = createRandom(options.seed);
  const config = deployConfigWith(options.maxReceiveCount ?? 5);
  // The notifier retries at once here, so its events exhaust while Oro is down and need their own redrive.
  let ps = await startProofStack({ backoffBaseSeconds: 1, notifierBackoffBaseSeconds: 0, seed: options.seed, deployConfigPath: config.path });
  const lines: string[] = [];
  const secretValues = new Set<string>();
  /** OAuth tokens the sandboxes issued, and what the ops CLI printed: both are scanned too. */
  const tokens = new Set<string>();
  const opsOutput: string[] = [];
  const print = (line: string) => {
    ps.capture.print(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    options.progress?.(line);
  };
  let ctx = createContext({ local: ps.stack.endpoints, configPath: config.path });
  let timedOut = false;
  try {
    // --- 1. Outage ---
    const productsA = productsOf("OUT-", options.products, CHAOS_UPDATED_AT);
    const ordersA = generateOrders(random, options.orders, 0).map((o) => ({ ...o, identifier: o.identifier.replace("CHAOS-", "OUT-") }));
    await ps.akeneo.admin.seed({ count: 0 });
    await ps.akeneo.admin.putProducts(productsA.map((p) => p.product));
    const products = ps.oro.store.mustTable("products");
    const before = products.size;
    print(`outage: seed ${options.seed}, ${productsA.length} products and ${ordersA.length} orders; Oro goes down mid-sync`);
    // Oro goes down in the same tick as the row that makes a fifth of the products landed: a timer
    // polling the count could see the whole sync done first on a fast machine.
    let down = 0;
    const wentDown = atRowCount(products, before + Math.ceil(productsA.length * 0.2), () => {
      down = Date.now();
      ps.oro.controls.setFaults({ connectionReset: { rate: 0.3 }, serverError: { rate: 1, status: 503 } });
    });
    await sendProductsWindow(ps, `outage-${options.seed}`, "2024-02-29T00:00:00Z", "2024-03-02T00:00:00Z");
    await wentDown.reached(30_000, `outage: fewer than a fifth of ${productsA.length} products landed in 30 s; Oro was never taken down`);
    // Requests Oro had accepted before the faults finish; what they write still counts as before.
    const landedBefore = products.size - before;
    const orderIdsA = await createOrders(ps, ordersA);
    try {
      await connectorsIdle(ps, left());
    } catch (error) {
      timedOut = true;
      print(`outage: ${(error as Error).message.slice(0, 300)}`);
    }
    await ps.oro.admin.faults({});
    const outageMs = Date.now() - down;
    const dlq = await ps.dlqMessages();
    const dead = deadRecords(dlq, ps.oro, ps.erp);
    const deadProducts = dead.products;
    const deadOrders = dead.orders;
    // receiveAll left them in flight: make them visible for the redrive.
    for (const { connector, message } of dlq) {
      await ps.stack.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: ps.connector(connector).dlqUrl, ReceiptHandle: message.ReceiptHandle as string, VisibilityTimeout: 0 }),
      );
    }
    print(
      `outage: Oro back after ${(outageMs / 1000).toFixed(1)} s; ${dlq.length} DLQ messages (${deadProducts.size} products, ${deadOrders.size} orders), ${landedBefore} products had landed before`,
    );

    // Oro is back: the notifier catches up; its dead-lettered events are moved back.
    await ps.idle(left());
    const alertsDlqBefore = (await ps.stack.depth(ps.stack.alerts.dlqUrl)).visible;
    // The ops CLI's `dlq redrive notifier`, as an operator would run it.
    const alertsRedriven = (await redriveDlq(ctx, "notifier", undefined, { copy: true })).moved;
    await ps.idle(left());
    const created = ps.oro.store
      .list("notificationalerts")
      .filter((a) => a.attributes.resolved === false)
      .map((a) => a.id);
    print(`outage: ${created.length} alert(s) open in Oro (notifier events redriven from its DLQ: ${alertsRedriven}); redriving the connector DLQs`);

    const redrives: OutageResult["outage"]["redrives"] = [];
    for (const c of ps.stack.connectors) {
      if ((await ps.stack.depth(c.dlqUrl)).visible === 0) continue;
      // What `ops dlq peek` and `ops dlq redrive --json` print is scanned too.
      opsOutput.push(formatPeek(await peekDlq(ctx, c.resolved.integration, c.resolved.connector, { max: 100 })));
      const r = await redriveDlq(ctx, c.resolved.integration, c.resolved.connector, { copy: true });
      opsOutput.push(JSON.stringify(r));
      redrives.push({ connector: r.connector, method: r.method, moved: r.moved, failed: r.failed, kept: r.kept, notDeleted: r.notDeleted });
    }
    try {
      await ps.idle(left());
    } catch (error) {
      timedOut = true;
      print(`outage: ${(error as Error).message.slice(0, 300)}`);
    }
    const alerts = ps.oro.store.mustTable("notificationalerts");
    const resolved = created.filter((id) => alerts.get(id)?.attributes.resolved === true).length;
    const productCheck = checkProducts(ps.oro, productsA);
    const orderCheck = checkOrders(ps.oro, ps.erp, ordersA, orderIdsA);
    const missingA = [...productCheck.missing, ...productCheck.wrong, ...orderCheck.missing, ...orderCheck.wrong];
    const identifierOf = new Map(orderIdsA.map((id, i) => [id, (ordersA[i] as SourceOrder).identifier]));
    const landedAfter = landedAfterRedrive(dead, productCheck, orderCheck, identifierOf);
    const leftInDlq = (await ps.dlqMessages()).length;
    const alertsDlqLeft = (await ps.alertsDlqMessages()).length;

    const alertsDlqEnd = await ps.alertsDlqMessages();
    const scanned = {
      messages: [...dlq.map((d) => d.message), ...alertsDlqEnd],
      queueMessages: await ps.queueMessages(),
      alerts: [...ps.alertEvents],
      notificationAlerts: ps.oro.store.list("notificationalerts"),
    };
    ps.secretValues.forEach((v) => secretValues.add(v));
    ps.issuedTokens().forEach((t) => tokens.add(t));
    ctx.close();
    await ps.stop();
    lines.push(...ps.capture.lines);

    // --- 2. Rotation: a fresh stack with the deploy config as it is ---
    ps = await startProofStack({ backoffBaseSeconds: 1, seed: options.seed });
    ctx = createContext({ local: ps.stack.endpoints, configPath: ps.stack.endpoints.configPath });
    const productsB = productsOf("ROT-", options.rotationProducts, "2024-05-01T00:00:00Z");
    const ordersB = generateOrders(random, options.rotationOrders, 0).map((o) => ({ ...o, identifier: o.identifier.replace("CHAOS-", "ROT-") }));
    await ps.akeneo.admin.seed({ count: 0 });
    await ps.akeneo.admin.putProducts(productsB.map((p) => p.product));
    const productsTable = ps.oro.store.mustTable("products");
    const beforeB = productsTable.size;
    print(`rotation: ${productsB.length} products and ${ordersB.length} orders; the Oro client secret and the Akeneo password rotate mid-sync`);
    // Once a fifth of the products landed, Oro answers slowly (2 s a request) until both secrets
    // have rotated, so the rotation surely falls inside the sync, however fast the machine.
    const slowed = atRowCount(productsTable, beforeB + Math.ceil(productsB.length * 0.2), () => ps.oro.controls.updateFaults({ latencyMs: 2_000 }));
    await sendProductsWindow(ps, `rotation-${options.seed}`, "2024-04-30T00:00:00Z", "2024-05-02T00:00:00Z");
    const orderIdsB = createOrders(ps, ordersB);
    await slowed.reached(30_000, `rotation: fewer than a fifth of ${productsB.length} products landed in 30 s`);
    const secrets = renderSecrets(ps.stack.settings, ps.stack.sandboxes.urls);
    const oroSecretName = ctx.config.oroSecretName;
    const akeneoSecretName = ps.connector("akeneo-products").resolved.integrationSecretName;
    const oroClientId = String(secrets[oroSecretName]?.clientId);
    // Characters that change under every encoding the scan knows (URL, form, JSON, PHP, base64).
    const newOroSecret = `rotated-oro-${options.seed}-${random.int(100_000, 999_999)}-Sé/+"%\\ cret`;
    const newAkeneoPassword = `rotated-akeneo-${options.seed}-${random.int(100_000, 999_999)}-Pässwörd/+"%\\ &=`;
    ps.secretValues.push(newOroSecret, newAkeneoPassword);
    // As a rotation function does it: the system first (old credentials stop working), then Secrets Manager.
    await ps.oro.admin.setClientSecret(oroClientId, newOroSecret);
    await ps.oro.admin.expireTokens();
    ps.akeneo.credentials.password = newAkeneoPassword;
    await ps.akeneo.admin.expireTokens({ revokeRefresh: true });
    await sleep(500);
    ps.stack.secrets.put(oroSecretName, { ...secrets[oroSecretName], clientSecret: newOroSecret });
    ps.stack.secrets.put(akeneoSecretName, { ...secrets[akeneoSecretName], password: newAkeneoPassword });
    const landedAtRotation = productsTable.size - beforeB;
    ps.oro.controls.updateFaults({ latencyMs: 0 });
    const idsB = await orderIdsB;
    try {
      await ps.idle(left());
    } catch (error) {
      timedOut = true;
      print(`rotation: ${(error as Error).message.slice(0, 300)}`);
    }
    const productCheckB = checkProducts(ps.oro, productsB);
    const orderCheckB = checkOrders(ps.oro, ps.erp, ordersB, idsB);
    const missingB = [...productCheckB.missing, ...productCheckB.wrong, ...orderCheckB.missing, ...orderCheckB.wrong];
    const dlqB = await ps.dlqMessages();
    const raised = ps.oro.store.list("notificationalerts");
    const openB = raised
      .filter((a) => a.attributes.resolved !== true)
      .map((a) => `${String(a.attributes.alertType)}/${String(a.attributes.step)}: ${String(a.attributes.message).slice(0, 160)}`);
    const lastingFailures = missingB.length + dlqB.length + openB.length;

    const alertsDlqB = await ps.alertsDlqMessages();
    const queueMessagesB = await ps.queueMessages();
    ps.capture.stop();
    lines.push(...ps.capture.lines);
    ps.secretValues.forEach((v) => secretValues.add(v));
    ps.issuedTokens().forEach((t) => tokens.add(t));
    if (options.logFile) writeFileSync(options.logFile, `${lines.join("\n")}\n`);
    const secretScan = scanForSecrets({
      secrets: [...secretValues],
      tokens: [...tokens],
      lines,
      messages: [...scanned.messages, ...dlqB.map((d) => d.message), ...alertsDlqB],
      queueMessages: [...scanned.queueMessages, ...queueMessagesB],
      alerts: [...scanned.alerts, ...ps.alertEvents],
      notificationAlerts: [...scanned.notificationAlerts, ...raised],
      opsOutput,
    });
    const lost = missingA.length;
    const duplicated =
      productCheck.duplicateProducts +
      productCheck.duplicateRows +
      orderCheck.duplicateErpOrders +
      productCheckB.duplicateProducts +
      productCheckB.duplicateRows +
      orderCheckB.duplicateErpOrders;
    const b = deadProducts.size + deadOrders.size;
    return {
      seed: options.seed,
      durationMs: Date.now() - started,
      timedOut,
      outage: {
        landedBefore,
        outageMs,
        inDlq: b,
        dlqMessages: dlq.length,
        landedAfterRedrive: landedAfter,
        alertsDlq: alertsDlqBefore + alertsDlqLeft,
        alertsRedriven,
        alertsCreated: created.length,
        alertsResolved: resolved,
        redrives,
        lost,
        duplicated,
        duplicates: [
          productCheck.duplicateProducts,
          productCheck.duplicateRows,
          orderCheck.duplicateErpOrders,
          productCheckB.duplicateProducts,
          productCheckB.duplicateRows,
          orderCheckB.duplicateErpOrders,
        ],
        duplicateRowExamples: [...productCheck.duplicateRowExamples, ...productCheckB.duplicateRowExamples],
        missing: missingA,
        leftInDlq,
      },
      rotation: {
        rotated: [`${oroSecretName} clientSecret`, `${akeneoSecretName} password`],
        landedAtRotation,
        missing: missingB,
        dlqMessages: dlqB.length,
        openAlerts: openB,
        alertsRaised: raised.length,
        lastingFailures,
      },
      secrets: secretScan,
      secretHits: describeHits(secretScan.hits),
      summary: `outage: lost ${lost}, landed after redrive ${landedAfter}/${b}, alerts created ${created.length}, resolved ${resolved}/${created.length}; rotation: lasting failures ${lastingFailures}`,
    };
  } finally {
    ctx.close();
    await ps.stop().catch(() => undefined);
    rmSync(config.dir, { recursive: true, force: true });
  }
};

const list = (items: string[], max = 5) =>
  items.length === 0 ? "" : `: ${items.slice(0, max).join("; ")}${items.length > max ? ` (+${items.length - max})` : ""}`;

export const formatOutageReport = (r: OutageResult): string[] => [
  `outage: seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s${r.timedOut ? " (TIMED OUT: counts are partial)" : ""}`,
  `outage: Oro down ${(r.outage.outageMs / 1000).toFixed(1)} s after ${r.outage.landedBefore} products had landed; ${r.outage.dlqMessages} DLQ messages holding ${r.outage.inDlq} records; notifier events dead-lettered ${r.outage.alertsDlq}, redriven ${r.outage.alertsRedriven}`,
  `outage: redrive ${r.outage.redrives.map((x) => `${x.connector} moved ${x.moved} failed ${x.failed} kept ${x.kept} notDeleted ${x.notDeleted} (${x.method})`).join("; ")}; left in DLQs ${r.outage.leftInDlq}`,
  `outage: missing or wrong ${r.outage.missing.length}${list(r.outage.missing)}; duplicated ${r.outage.duplicated} (outage: products ${r.outage.duplicates[0]}, rows ${r.outage.duplicates[1]}, ERP orders ${r.outage.duplicates[2]}; rotation: ${r.outage.duplicates[3]}, ${r.outage.duplicates[4]}, ${r.outage.duplicates[5]})${list(r.outage.duplicateRowExamples, 3)}; alerts created ${r.outage.alertsCreated}, resolved ${r.outage.alertsResolved}`,
  `rotation: ${r.rotation.rotated.join(", ")} after ${r.rotation.landedAtRotation} products had landed; missing or wrong ${r.rotation.missing.length}${list(r.rotation.missing)}; DLQ messages ${r.rotation.dlqMessages}; alerts raised ${r.rotation.alertsRaised}, still open ${r.rotation.openAlerts.length}${list(r.rotation.openAlerts, 3)}`,
  ...r.secretHits.slice(0, 10).map((h) => `  ${h}`),
  r.secrets.summary,
  r.summary,
];

export const outagePassed = (r: OutageResult): boolean =>
  !r.timedOut &&
  r.outage.lost === 0 &&
  r.outage.duplicated === 0 &&
  r.outage.inDlq > 0 &&
  r.outage.landedAfterRedrive === r.outage.inDlq &&
  r.outage.alertsCreated > 0 &&
  r.outage.alertsResolved === r.outage.alertsCreated &&
  r.outage.leftInDlq === 0 &&
  r.rotation.lastingFailures === 0 &&
  r.secrets.hits.length === 0;
