/**
 * reportRunStatus (shared/runtime/run-status-report.ts) line by line against the Oro sandbox over
 * HTTP: the exact "run finished" log line, the status written on the integration's channel, the
 * "no channel" line when `ops oro-integration register` was not run, the warn line when Oro
 * refuses, and the write bounded by AbortSignal.timeout(RUN_STATUS_TIMEOUT_MS) (issue 16). Then
 * the channel id kept per listener (IntegrationChannelIds), counted on the sandbox's routes: one
 * lookup for many runs, a lookup again after Oro refuses the kept id (channel deleted and
 * registered again), "no channel" kept for NO_CHANNEL_TTL_MS on the listener's clock.
 */
import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeAll } from "../shared/http";
import { createOroClient, type OroClient } from "../shared/oro";
import type { RunSummary } from "../shared/ledger/model";
import { NO_CHANNEL_TTL_MS, type RunStatus } from "../shared/oro/integration-status";
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

/** Registers akeneo-main (as `ops oro-integration register`); the id of the channel Oro made. */
const register = async (): Promise<string> => {
  const res = await api.post("/oroserverlesstransports", {
    data: {
      type: "oroserverlesstransports",
      attributes: { integration: "akeneo-main", region: "eu-west-1", ingressUrl: "https://abc.lambda-url.eu-west-1.on.aws/", connectors: ["akeneo-products"] },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.data.relationships.channel.data.id as string;
};

/** The integration removed in Oro (its transport and channel rows gone, as an admin deleting it in System > Integrations). */
const unregister = (): void => {
  for (const type of ["oroserverlesstransports", "integrationchannels"]) {
    const table = oro.store.mustTable(type);
    for (const row of oro.store.list(type)) table.delete(row.id);
  }
};

/** The sandbox's requests since the last call, by route (the token request left out: the client keeps its token). */
const oroCalls = (): Record<string, number> => {
  const { byRoute } = oro.stats();
  oro.controls.resetStats();
  return Object.fromEntries(Object.entries(byRoute).filter(([route]) => !route.includes("oauth2-token")));
};
const LOOKUP = "GET /admin/api/integrationchannels";
const WRITE = "POST /admin/api/integrationstatuses";

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

describe("reportRunStatus: the channel id kept per listener", () => {
  const NO_CHANNEL_LINE = {
    level: "info",
    message: "run status not written to Oro: the integration has no channel (run `ops oro-integration register`)",
    extra: { runId: "run-7" },
  };
  const statusChannels = () => oro.store.list("integrationstatuses").map((st) => st.relationships.channel);

  it("looks the channel up once for the listener's life: three finished runs, one after another and two at once, are 1 lookup and 3 writes", async () => {
    const channelId = await register();
    oroCalls();
    const { logger } = recordingLogger();
    const listener = reportRunStatus(logger)(() => client);
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
    await Promise.all([listener({ ...STATUS, runId: "run-8" }, SUMMARY), listener({ ...STATUS, runId: "run-9" }, SUMMARY)]);
    expect(oroCalls()).toEqual({ [WRITE]: 2 });
    expect(statusChannels()).toEqual([1, 2, 3].map(() => ({ type: "integrationchannels", id: channelId })));
    // Another listener (another container) knows nothing of it.
    await reportRunStatus(logger)(() => client)({ ...STATUS, runId: "run-10" }, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
  });

  it("two runs finishing at once on a cold listener share one lookup", async () => {
    await register();
    oroCalls();
    const listener = reportRunStatus(recordingLogger().logger)(() => client);
    await Promise.all([listener(STATUS, SUMMARY), listener({ ...STATUS, runId: "run-8" }, SUMMARY)]);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 2 });
  });

  it("when Oro refuses the kept id (the integration deleted and registered again: a new channel), looks it up once more and writes on the new channel", async () => {
    const first = await register();
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger)(() => client);
    await listener(STATUS, SUMMARY);
    unregister();
    const second = await register();
    expect(second).not.toBe(first);
    oroCalls();
    await listener({ ...STATUS, runId: "run-8" }, SUMMARY);
    // The write on the old id (400: the entity does not exist), the lookup, the write on the new id.
    expect(oro.stats().byStatus).toEqual({ "400": 1, "200": 1, "201": 1 });
    expect(oroCalls()).toEqual({ [WRITE]: 2, [LOOKUP]: 1 });
    expect(statusChannels()).toEqual([
      { type: "integrationchannels", id: first },
      { type: "integrationchannels", id: second },
    ]);
    // The new id is kept.
    await listener({ ...STATUS, runId: "run-9" }, SUMMARY);
    expect(oroCalls()).toEqual({ [WRITE]: 1 });
    expect(lines.filter((l) => l.level !== "info" || l.message !== "run finished")).toEqual([]);
  });

  it("two runs refused at once on the kept id share the next lookup: 2 refused writes, 1 lookup, 2 writes on the new channel", async () => {
    await register();
    const listener = reportRunStatus(recordingLogger().logger)(() => client);
    await listener(STATUS, SUMMARY);
    unregister();
    const second = await register();
    oroCalls();
    await Promise.all([listener({ ...STATUS, runId: "run-8" }, SUMMARY), listener({ ...STATUS, runId: "run-9" }, SUMMARY)]);
    expect(oro.stats().byStatus).toEqual({ "400": 2, "200": 1, "201": 2 });
    expect(oroCalls()).toEqual({ [WRITE]: 4, [LOOKUP]: 1 });
    expect(statusChannels().slice(1)).toEqual([
      { type: "integrationchannels", id: second },
      { type: "integrationchannels", id: second },
    ]);
  });

  it("two runs refused at once on the kept id, then on the id they looked up together: each writes twice and gives up (4 refused writes, 1 lookup, 2 warn lines)", async () => {
    await register();
    let deleteAfterLookup = false;
    const racing = Object.create(client) as OroClient;
    racing.list = (async (...args: Parameters<OroClient["list"]>) => {
      const page = await client.list(...args);
      if (deleteAfterLookup) unregister();
      return page;
    }) as OroClient["list"];
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger)(() => racing);
    await listener(STATUS, SUMMARY);
    unregister();
    await register();
    oroCalls();
    deleteAfterLookup = true;
    // The second run's second id comes from the first run's lookup (not fresh for it): it still stops at two writes.
    await Promise.all([listener({ ...STATUS, runId: "run-8" }, SUMMARY), listener({ ...STATUS, runId: "run-9" }, SUMMARY)]);
    expect(oroCalls()).toEqual({ [WRITE]: 4, [LOOKUP]: 1 });
    expect(lines.slice(1).map((l) => [l.level, l.message])).toEqual([
      ["info", "run finished"],
      ["info", "run finished"],
      ["warn", "run status not written to Oro"],
      ["warn", "run status not written to Oro"],
    ]);
  });

  it("when Oro refuses the kept id and the integration is gone, says 'no channel' and keeps that for NO_CHANNEL_TTL_MS, then asks again", async () => {
    expect(NO_CHANNEL_TTL_MS).toBe(60_000);
    let now = 1_000_000;
    await register();
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger, { now: () => now })(() => client);
    await listener(STATUS, SUMMARY);
    unregister();
    oroCalls();
    lines.length = 0;
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [WRITE]: 1, [LOOKUP]: 1 });
    expect(lines).toEqual([FINISHED_LINE, NO_CHANNEL_LINE]);
    // Within the TTL: no call at all, the same line.
    now += NO_CHANNEL_TTL_MS - 1;
    lines.length = 0;
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({});
    expect(lines).toEqual([FINISHED_LINE, NO_CHANNEL_LINE]);
    // Registered again; once the TTL is over the next run looks it up and its status is written.
    const channelId = await register();
    oroCalls();
    now += 1;
    lines.length = 0;
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
    expect(lines).toEqual([FINISHED_LINE]);
    expect(statusChannels()).toEqual([
      { type: "integrationchannels", id: "1" },
      { type: "integrationchannels", id: channelId },
    ]);
  });

  it("keeps 'no channel' from a first lookup too, and does not keep a failed lookup (Oro answered 503)", async () => {
    let now = 0;
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger, { now: () => now })(() => client);
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1 });
    await register();
    oroCalls();
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({});
    now = NO_CHANNEL_TTL_MS;
    await oro.admin.faults({ serverError: { count: 1 } });
    await listener(STATUS, SUMMARY);
    expect(lines.map((l) => l.level)).toEqual(["info", "info", "info", "info", "info", "warn"]);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1 });
    // The 503 was not kept: the next run asks again and writes.
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
    expect(oro.store.list("integrationstatuses")).toHaveLength(1);
  });

  it("a fresh id Oro refuses (the channel deleted between the lookup and the write) is not looked up again for that run: the warn line, 1 lookup and 1 write", async () => {
    await register();
    oroCalls();
    // The integration is deleted right after the lookup answered.
    const racing = Object.create(client) as OroClient;
    racing.list = (async (...args: Parameters<OroClient["list"]>) => {
      const page = await client.list(...args);
      unregister();
      return page;
    }) as OroClient["list"];
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger)(() => racing);
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
    expect(lines[1]).toMatchObject({ level: "warn", message: "run status not written to Oro" });
    expect(String(lines[1]?.extra?.error)).toContain("form constraint at /data/relationships/channel/data: The entity does not exist.");
    // The refused id was forgotten: the next run looks up (and finds no channel).
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1 });
    expect(lines[3]).toEqual(NO_CHANNEL_LINE);
  });

  it("an id refused again after its fresh lookup (deleted once more meanwhile) is not kept either: the next run looks up instead of writing on it", async () => {
    await register();
    let deleteAfterLookup = false;
    const racing = Object.create(client) as OroClient;
    racing.list = (async (...args: Parameters<OroClient["list"]>) => {
      const page = await client.list(...args);
      if (deleteAfterLookup) unregister();
      return page;
    }) as OroClient["list"];
    const { logger, lines } = recordingLogger();
    const listener = reportRunStatus(logger)(() => racing);
    await listener(STATUS, SUMMARY);
    // Deleted and registered again (a new channel), then deleted right after the listener's lookup of it.
    unregister();
    await register();
    oroCalls();
    deleteAfterLookup = true;
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [WRITE]: 2, [LOOKUP]: 1 });
    expect(lines[2]).toMatchObject({ level: "warn", message: "run status not written to Oro" });
    deleteAfterLookup = false;
    await listener(STATUS, SUMMARY);
    expect(oroCalls()).toEqual({ [LOOKUP]: 1 });
    expect(lines[4]).toEqual(NO_CHANNEL_LINE);
  });

  it("keeps ids per Oro instance: after the Oro secret is repointed to another Oro, the channel is looked up there, not taken from the first", async () => {
    const other = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
    try {
      await register();
      await sandboxCaller(other, CLIENT.id, CLIENT.secret).post("/oroserverlesstransports", {
        data: {
          type: "oroserverlesstransports",
          attributes: {
            integration: "akeneo-main",
            region: "eu-west-1",
            ingressUrl: "https://abc.lambda-url.eu-west-1.on.aws/",
            connectors: ["akeneo-products"],
          },
        },
      });
      let baseUrl = oro.url;
      const repointable = createOroClient({
        getConnection: async () => ({ baseUrl, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }),
        retry: { attempts: 1 },
      });
      const listener = reportRunStatus(recordingLogger().logger)(() => repointable);
      oroCalls();
      await listener(STATUS, SUMMARY);
      expect(oroCalls()).toEqual({ [LOOKUP]: 1, [WRITE]: 1 });
      baseUrl = other.url;
      other.controls.resetStats();
      await listener(STATUS, SUMMARY);
      expect(oroCalls()).toEqual({});
      expect(Object.fromEntries(Object.entries(other.stats().byRoute).filter(([route]) => !route.includes("oauth2-token")))).toEqual({
        [LOOKUP]: 1,
        [WRITE]: 1,
      });
      expect(other.store.list("integrationstatuses")).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});
