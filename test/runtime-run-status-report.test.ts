/**
 * reportRunStatus (shared/runtime/run-status-report.ts) line by line against the Oro sandbox over
 * HTTP: the exact "run finished" log line, the status written on the integration's channel, the
 * "no channel" line when `ops oro-integration register` was not run, the warn line when Oro
 * refuses, and the write bounded by AbortSignal.timeout(RUN_STATUS_TIMEOUT_MS) (issue 16).
 */
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeAll } from "../shared/http";
import { createOroClient, type OroClient } from "../shared/oro";
import type { RunSummary } from "../shared/ledger/model";
import type { RunStatus } from "../shared/oro/integration-status";
import { reportRunStatus, RUN_STATUS_TIMEOUT_MS } from "../shared/runtime/run-status-report";
import { type OroSandbox, sandboxCaller, startOroSandbox } from "../sandboxes/oro";

const CLIENT = { id: "run-status-client", secret: "run-status-secret" };
let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
let client: OroClient;

beforeAll(async () => {
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  api = sandboxCaller(oro, CLIENT.id, CLIENT.secret);
  client = createOroClient({
    getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }),
    retry: { attempts: 1 },
  });
});
afterAll(async () => {
  await oro.stop();
  await closeAll();
});
beforeEach(async () => {
  await oro.admin.reset({ seed: false });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const recordingLogger = () => {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> | undefined }> = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) => void lines.push({ level, message, extra });
  const logger = { level: 12, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as unknown as PowertoolsLogger;
  return { logger, lines };
};

const register = async (): Promise<void> => {
  const res = await api.post("/oroserverlesstransports", {
    data: {
      type: "oroserverlesstransports",
      attributes: { integration: "akeneo-main", region: "eu-west-1", ingressUrl: "https://abc.lambda-url.eu-west-1.on.aws/", connectors: ["akeneo-products"] },
    },
  });
  expect(res.status, res.text).toBe(201);
};

const COUNTS = { pagesPlanned: 4, pagesDone: 3, pagesDeadLettered: 1, read: 40, written: 37, skipped: 2, failed: 1 };
const STATUS: RunStatus = {
  integration: "akeneo-main",
  connector: "akeneo-products",
  runId: "run-7",
  outcome: "partly failed",
  message: "1 page dead-lettered",
  startedAt: "2026-12-01T12:15:00.120Z",
  finishedAt: "2026-12-01T12:16:30.980Z",
  counts: COUNTS,
};
/** The ledger's row of the same run (the listener is given both; reportRunStatus reads only the status). */
const SUMMARY: RunSummary = {
  integration: "akeneo-main",
  connector: "akeneo-products",
  runId: "run-7",
  rootType: "window",
  outcome: "partly failed",
  startedAt: STATUS.startedAt,
  finishedAt: STATUS.finishedAt,
  windowFrom: undefined,
  windowTo: undefined,
  units: { pagesPlanned: 4, pagesDone: 3, pagesDeadLettered: 1, listingPlanned: 1, listingDone: 1, listingDeadLettered: 0 },
  records: { read: 40, written: 37, skipped: 2, failed: 1 },
  lastError: "Oro answered 400",
};
const FINISHED_LINE = {
  level: "info",
  message: "run finished",
  extra: { runId: "run-7", outcome: "partly failed", counts: COUNTS, startedAt: "2026-12-01T12:15:00.120Z", finishedAt: "2026-12-01T12:16:30.980Z" },
};

/** The first call of a status write: the channel lookup by name (findChannelId). */
const CHANNEL_LOOKUP = () => `${oro.url}/admin/api/integrationchannels?filter[name]=akeneo-main&page[size]=20`;

describe("reportRunStatus", () => {
  it("logs exactly one 'run finished' line with the run's fields and writes one failed status on the channel", async () => {
    await register();
    const { logger, lines } = recordingLogger();
    await reportRunStatus(logger)(() => client)(STATUS, SUMMARY);
    expect(lines).toEqual([FINISHED_LINE]);
    const statuses = oro.store.list("integrationstatuses");
    expect(statuses.map((s) => [s.attributes.code, s.attributes.connector, (s.attributes.data as { runId: string }).runId])).toEqual([
      ["2", "akeneo-products", "run-7"],
    ]);
  });

  it("without a channel logs the 'no channel' line with the run id, writes nothing and does not throw", async () => {
    const { logger, lines } = recordingLogger();
    await reportRunStatus(logger)(() => client)(STATUS, SUMMARY);
    expect(lines).toEqual([
      FINISHED_LINE,
      {
        level: "info",
        message: "run status not written to Oro: the integration has no channel (run `ops oro-integration register`)",
        extra: { runId: "run-7" },
      },
    ]);
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });

  it("when Oro answers 503 logs the warn line with the run id, outcome and Oro's error, and does not throw", async () => {
    await register();
    await oro.admin.faults({ serverError: { count: 1 } });
    const { logger, lines } = recordingLogger();
    await reportRunStatus(logger)(() => client)(STATUS, SUMMARY);
    expect(lines).toEqual([
      FINISHED_LINE,
      {
        level: "warn",
        message: "run status not written to Oro",
        extra: {
          runId: "run-7",
          outcome: "partly failed",
          error: `GET ${CHANNEL_LOOKUP()} failed with HTTP 503 after 1 attempt(s): {"errors":[{"status":"503","title":"service unavailable","detail":"Fault injected by the sandbox."}]}`,
        },
      },
    ]);
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });

  it("bounds the write with AbortSignal.timeout(RUN_STATUS_TIMEOUT_MS): once that signal is aborted nothing is written and the warn line says why", async () => {
    await register();
    expect(RUN_STATUS_TIMEOUT_MS).toBe(10_000);
    const timeout = AbortSignal.timeout.bind(AbortSignal);
    // The report's own timeout fires at once (as it would after 10 s of a hung Oro); any other timeout is the real one.
    const spy = vi
      .spyOn(AbortSignal, "timeout")
      .mockImplementation((ms) =>
        ms === RUN_STATUS_TIMEOUT_MS ? AbortSignal.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")) : timeout(ms),
      );
    const { logger, lines } = recordingLogger();
    await reportRunStatus(logger)(() => client)(STATUS, SUMMARY);
    expect(spy.mock.calls.filter(([ms]) => ms === RUN_STATUS_TIMEOUT_MS)).toHaveLength(1);
    expect(lines).toEqual([
      FINISHED_LINE,
      {
        level: "warn",
        message: "run status not written to Oro",
        extra: {
          runId: "run-7",
          outcome: "partly failed",
          error: `GET ${CHANNEL_LOOKUP()} stopped after 0 attempt(s): the call hit its deadline (the caller's abort signal fired, e.g. the Lambda is about to time out); the record will be retried`,
        },
      },
    ]);
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });
});
