/**
 * writeRunStatus with a kept channel id and IntegrationChannelIds.forget (shared/oro/integration-status.ts)
 * call by call, on a recording stand-in for the two OroClient calls they make (list: the channel
 * lookup, create: the status): only Oro's missing-channel refusal (400 `form constraint` at
 * /data/relationships/channel/data) makes a kept id forgotten and looked up again; any other
 * refusal is thrown as it came and the id is kept; a refusal of an id already replaced keeps the
 * newer one (issue 16, the mutants test/runtime-run-status-report.test.ts leaves alive; mut-recheck).
 * The sandbox-level behaviour (a channel deleted and registered again) is in that file.
 */
import { describe, expect, it } from "vitest";
import type { OroClient } from "../shared/oro";
import { OroConflictError, OroValidationError } from "../shared/oro/errors";
import { IntegrationChannelIds, type RunStatus, SERVERLESS_CHANNEL_TYPE, writeRunStatus } from "../shared/oro/integration-status";
import type { OroErrorObject } from "../shared/oro/jsonapi";

const STATUS: RunStatus = {
  integration: "akeneo-main",
  connector: "akeneo-products",
  runId: "run-7",
  outcome: "succeeded",
  message: "",
  startedAt: "2026-12-01T12:15:00.000Z",
  finishedAt: "2026-12-01T12:16:30.000Z",
  counts: { pagesPlanned: 1, pagesDone: 1, pagesDeadLettered: 0, read: 2, written: 2, skipped: 0, failed: 0 },
};

/**
 * Oro as far as writeRunStatus sees it: the n-th channel lookup finds the channel `ids[n]` (the
 * last one once they run out), and each status write fails with the next of `refusals` (undefined: written).
 */
const recordingOro = (ids: string[], refusals: Array<Error | undefined> = []) => {
  const calls: string[] = [];
  let lookups = 0;
  // The Oro instance the connection secret names now (the ids are kept per instance).
  const at = { baseUrl: "https://oro.example.com", apiPrefix: "/admin/api" };
  const oro = {
    connection: async () => ({ ...at, clientId: "c", clientSecret: "s", maxConnections: 8 }),
    list: async (type: string) => {
      calls.push(`lookup ${type}`);
      const id = ids[Math.min(lookups++, ids.length - 1)] as string;
      return { data: [{ type, id, attributes: { name: "akeneo-main", type: SERVERLESS_CHANNEL_TYPE } }] };
    },
    create: async (doc: { relationships: { channel: { data: { id: string } } } }) => {
      calls.push(`status on ${doc.relationships.channel.data.id}`);
      const refusal = refusals.shift();
      if (refusal) throw refusal;
      return { type: "integrationstatuses", id: String(calls.length) };
    },
  };
  return { oro: oro as unknown as OroClient, calls, at };
};

const refusedWith = (errors: OroErrorObject[]) =>
  new OroValidationError({ status: 400, method: "POST", path: "/admin/api/integrationstatuses", resourceType: "integrationstatuses", errors });
const CHANNEL = "/data/relationships/channel/data";
const MISSING_CHANNEL = { status: "400", title: "form constraint", detail: "The entity does not exist.", source: { pointer: CHANNEL } };

describe("writeRunStatus with a kept channel id", () => {
  it("a kept id Oro refuses as a missing channel is forgotten, looked up once more, and the status written on the new channel", async () => {
    const channels = new IntegrationChannelIds();
    const { oro, calls } = recordingOro(["7", "9"], [undefined, refusedWith([MISSING_CHANNEL])]);
    await writeRunStatus(oro, STATUS, { channels });
    await writeRunStatus(oro, STATUS, { channels });
    expect(calls).toEqual(["lookup integrationchannels", "status on 7", "status on 7", "lookup integrationchannels", "status on 9"]);
  });

  it("when the id looked up again is refused as missing too, that refusal is thrown and that id is not kept either: the next run looks up once more", async () => {
    const channels = new IntegrationChannelIds();
    const second = refusedWith([MISSING_CHANNEL]);
    const { oro, calls } = recordingOro(["7", "9", "11"], [undefined, refusedWith([MISSING_CHANNEL]), second]);
    await writeRunStatus(oro, STATUS, { channels });
    await expect(writeRunStatus(oro, STATUS, { channels })).rejects.toBe(second);
    await writeRunStatus(oro, STATUS, { channels });
    expect(calls).toEqual([
      "lookup integrationchannels",
      "status on 7",
      "status on 7",
      "lookup integrationchannels",
      "status on 9",
      "lookup integrationchannels",
      "status on 11",
    ]);
  });

  it("when the id looked up again is refused otherwise, that refusal is thrown and the new id stays kept", async () => {
    const channels = new IntegrationChannelIds();
    const second = new Error("socket hang up");
    const { oro, calls } = recordingOro(["7", "9", "11"], [undefined, refusedWith([MISSING_CHANNEL]), second]);
    await writeRunStatus(oro, STATUS, { channels });
    await expect(writeRunStatus(oro, STATUS, { channels })).rejects.toBe(second);
    await writeRunStatus(oro, STATUS, { channels });
    expect(calls).toEqual(["lookup integrationchannels", "status on 7", "status on 7", "lookup integrationchannels", "status on 9", "status on 9"]);
  });

  const otherRefusals: Array<[string, Error]> = [
    [
      "a form constraint on another field",
      refusedWith([{ status: "400", title: "form constraint", detail: "This value is too long.", source: { pointer: "/data/attributes/connector" } }]),
    ],
    [
      "another constraint on the channel",
      refusedWith([{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: CHANNEL } }]),
    ],
    [
      "a 409 conflict",
      new OroConflictError({
        status: 409,
        method: "POST",
        path: "/admin/api/integrationstatuses",
        errors: [{ status: "409", title: "conflict constraint", detail: "Conflict." }],
      }),
    ],
    ["a network error", new Error("socket hang up")],
  ];
  for (const [what, refusal] of otherRefusals) {
    it(`${what} on a kept id is thrown as it came, without a lookup, and the id stays kept`, async () => {
      const channels = new IntegrationChannelIds();
      const { oro, calls } = recordingOro(["7", "9"], [undefined, refusal]);
      await writeRunStatus(oro, STATUS, { channels });
      await expect(writeRunStatus(oro, STATUS, { channels })).rejects.toBe(refusal);
      await writeRunStatus(oro, STATUS, { channels });
      expect(calls).toEqual(["lookup integrationchannels", "status on 7", "status on 7", "status on 7"]);
    });
  }
});

describe("IntegrationChannelIds.forget", () => {
  it("drops only the id Oro refused: a late refusal of the old id, after the new one was looked up, keeps the new one", async () => {
    const channels = new IntegrationChannelIds();
    const { oro, calls } = recordingOro(["7", "9", "11"]);
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: true });
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: false });
    await channels.forget(oro, "akeneo-main", "7");
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "9", fresh: true });
    // A second run that still wrote on 7 is refused after the lookup of 9.
    await channels.forget(oro, "akeneo-main", "7");
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "9", fresh: false });
    expect(calls).toEqual(["lookup integrationchannels", "lookup integrationchannels"]);
  });

  it("keeps ids per Oro instance: its baseUrl with or without trailing slashes is one instance, another apiPrefix another", async () => {
    const channels = new IntegrationChannelIds();
    const { oro, calls, at } = recordingOro(["7", "9"]);
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: true });
    at.baseUrl = "https://oro.example.com/";
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: false });
    at.baseUrl = "https://oro.example.com//";
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: false });
    at.apiPrefix = "/api";
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "9", fresh: true });
    at.apiPrefix = "/admin/api";
    expect(await channels.get(oro, "akeneo-main")).toEqual({ id: "7", fresh: false });
    expect(calls).toEqual(["lookup integrationchannels", "lookup integrationchannels"]);
  });
});
