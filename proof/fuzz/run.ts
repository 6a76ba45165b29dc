import { writeFileSync } from "node:fs";
import { captureOutput } from "../common/capture";
import { createRandom } from "../common/random";
import { startProofRig, type BatchCrash, type ProofRigOptions } from "../common/rig";
import { sendBodies } from "../common/sqs";
import { describeHits, scanForSecrets, type SecretScanResult } from "../secrets-scan";
import { erpStockTarget, type FuzzCase, generateCases } from "./generate";
import { type CategoryStats, checkFuzz } from "./verify";

export interface FuzzOptions {
  seed: number;
  bad: number;
  good: number;
  /** Size and extreme-depth bodies (up to 1 MiB each). @default true */
  sizeCases?: boolean;
  /** Bound of the whole run (ms); past it the run stops and reports what it has. @default 300000 */
  timeoutMs?: number;
  rig?: ProofRigOptions;
  /** Writes the captured log lines there (for digging into a failure). */
  logFile?: string;
  /** Progress lines (to the real stdout). */
  progress?: (line: string) => void;
}

export { type BadOutcome, type CategoryStats, MIN_REASON_BYTES } from "./verify";

export interface FuzzResult {
  seed: number;
  durationMs: number;
  timedOut: boolean;
  crashes: BatchCrash[];
  bad: { generated: number; refused: number; noRoom: number; eligible: number; withReason: number };
  good: { sent: number; refused: number; processedOnce: number; processedTwice: number; notProcessed: number; inDlq: number };
  categories: Map<string, CategoryStats>;
  /** Object.prototype (and friends) changed during the run. */
  pollution: string[];
  secrets: SecretScanResult;
  secretHits: string[];
  dlqMessages: number;
  unattributedDlq: number;
  alertsDlq: number;
  notificationAlerts: number;
  /** `fuzz: batch crashes <n>, bad in DLQ with reason <a>/<b>, good processed <c>/<d>` */
  summary: string;
}

const prototypeSnapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(",")).join("|");

/**
 * The fuzz run: generated bad bodies mixed into good traffic through the real runtime and
 * connector on fauxqs (Lambda-like event source mapping), then counted from the outside: batch
 * crashes, where each bad body ended up (DLQ with its reason), good bodies processed exactly once,
 * prototype pollution, and a secret scan of logs, DLQ messages, alert events and Oro alerts.
 */
export const runFuzz = async (options: FuzzOptions): Promise<FuzzResult> => {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const progress = options.progress ?? (() => undefined);
  const random = createRandom(options.seed);
  const target = erpStockTarget(options.rig?.integration ?? "erp-main");
  const cases: FuzzCase[] = generateCases(random, target, { bad: options.bad, good: options.good, sizeCases: options.sizeCases ?? true });
  const before = prototypeSnapshot();

  const capture = captureOutput();
  const print = (line: string) => {
    capture.print(line);
    progress(line);
  };
  const rig = await startProofRig({ ...options.rig });
  let timedOut = false;
  try {
    print(
      `fuzz: seed ${options.seed}, ${cases.filter((c) => c.kind === "bad").length} bad + ${cases.filter((c) => c.kind === "good").length} good bodies to ${rig.connectorType}`,
    );
    const sent = await sendBodies(
      rig.aws.sqs,
      rig.queueUrl,
      cases.map((c) => c.body),
    );
    print(`fuzz: sent in ${Date.now() - started} ms (${sent.refused.size} refused by SQS)`);
    try {
      await rig.idle(Math.max(5_000, timeoutMs - (Date.now() - started)));
    } catch (error) {
      timedOut = true;
      print(`fuzz: ${(error as Error).message}`);
    }
    const dlq = await rig.dlqMessages();
    const alertsDlq = await rig.alertsDlqMessages();
    capture.stop();
    if (options.logFile) writeFileSync(options.logFile, `${[...capture.lines, ...alertsDlq.map((m) => `alerts DLQ: ${JSON.stringify(m)}`)].join("\n")}\n`);

    const { bad, good, categories, unattributedDlq: unattributed } = checkFuzz(cases, sent, dlq, rig.processed);

    const after = prototypeSnapshot();
    const pollution: string[] = [];
    if (after !== before) pollution.push("built-in prototypes gained or lost properties");
    for (const key of ["polluted", "version", "sku", "levels"]) if (key in {}) pollution.push(`({}).${key} is inherited`);

    const notificationAlerts = rig.notificationAlerts();
    const secrets = scanForSecrets({
      secrets: rig.secretValues,
      tokens: rig.issuedTokens(),
      lines: capture.lines,
      messages: [...dlq, ...alertsDlq],
      queueMessages: await rig.queueMessages(),
      alerts: rig.alertEvents,
      notificationAlerts,
    });
    const summary = `fuzz: batch crashes ${rig.crashes.length}, bad in DLQ with reason ${bad.withReason}/${bad.eligible}, good processed ${good.processedOnce}/${good.sent - good.refused}`;
    return {
      seed: options.seed,
      durationMs: Date.now() - started,
      timedOut,
      crashes: rig.crashes,
      bad,
      good,
      categories,
      pollution,
      secrets,
      secretHits: describeHits(secrets.hits),
      dlqMessages: dlq.length,
      unattributedDlq: unattributed,
      alertsDlq: alertsDlq.length,
      notificationAlerts: notificationAlerts.length,
      summary,
    };
  } finally {
    capture.stop();
    await rig.stop();
  }
};

/** The report: a breakdown per category, then the totals; the last line is the summary. */
export const formatReport = (result: FuzzResult): string[] => {
  const lines: string[] = [];
  lines.push(`fuzz: seed ${result.seed}, ${(result.durationMs / 1000).toFixed(1)} s${result.timedOut ? " (TIMED OUT: counts are partial)" : ""}`);
  lines.push("category             generated  refused-by-sqs  dlq+reason  no-room  other");
  for (const [name, stats] of [...result.categories].sort(([a], [b]) => a.localeCompare(b))) {
    const o = stats.outcomes;
    const other = Object.entries(o).filter(([k]) => !["dlq-with-reason", "refused-by-sqs", "no-room-for-reason"].includes(k));
    const good = name === "good";
    lines.push(
      `${name.padEnd(20)} ${String(stats.generated).padStart(9)}  ${String(stats.refused).padStart(14)}  ${String(good ? "-" : (o["dlq-with-reason"] ?? 0)).padStart(10)}  ${String(o["no-room-for-reason"] ?? 0).padStart(7)}  ${other.map(([k, n]) => `${k} ${n}`).join(", ") || "-"}`,
    );
  }
  for (const [name, stats] of result.categories) for (const example of stats.examples) lines.push(`  ${name}: ${example}`);
  for (const crash of result.crashes.slice(0, 10)) lines.push(`  crash (${crash.handler}, ${crash.records} records): ${crash.reason}`);
  lines.push(
    `bad: ${result.bad.generated} generated, ${result.bad.refused} refused by SQS itself (never entered the queue; not counted in b), ${result.bad.noRoom} accepted at the size limit with no room left for reason attributes (not counted in b), ${result.bad.eligible} entered the queue (b)`,
  );
  lines.push(
    `good: ${result.good.sent} sent, ${result.good.refused} refused by SQS, ${result.good.processedTwice} processed more than once, ${result.good.notProcessed} not processed, ${result.good.inDlq} in the DLQ`,
  );
  lines.push(
    `dlq: ${result.dlqMessages} messages (${result.unattributedDlq} unattributed); alerts DLQ: ${result.alertsDlq}; Oro notification alerts: ${result.notificationAlerts}`,
  );
  lines.push(`prototype pollution: ${result.pollution.length === 0 ? "none" : result.pollution.join("; ")}`);
  for (const hit of result.secretHits.slice(0, 10)) lines.push(`  ${hit}`);
  lines.push(result.secrets.summary);
  lines.push(result.summary);
  return lines;
};

/** True when the run met its goal: no crash, every eligible bad body dead-lettered with its reason, every good one processed once, no pollution, no secret. */
export const fuzzPassed = (r: FuzzResult): boolean =>
  !r.timedOut &&
  r.crashes.length === 0 &&
  r.bad.withReason === r.bad.eligible &&
  r.good.processedOnce === r.good.sent - r.good.refused &&
  r.good.refused === 0 &&
  r.pollution.length === 0 &&
  r.secrets.hits.length === 0;
