import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { type AlertKey, type AlertStore, processNotifierBatch, readNotifierConfig, type StoredAlert } from "../functions/notifier";
import type { FailureEvent } from "../shared/alerts";
import { createMetrics, createRootLogger, InvocationMetrics } from "../shared/observability";
import type { QueueActions } from "../shared/runtime";
import { failureEvent } from "./helpers/alert-events";

/**
 * Which alert survives when two notifier invocations created one each for the same key at the
 * same time (issue 16, gap 5): the earliest created (then the lowest id) is kept and gets the
 * other's occurrences; the newer one is resolved as its duplicate. A merge that keeps the newer
 * alert fails here. The store is an in-memory stand-in for Oro (one function under test).
 */

const failure = (over: Partial<FailureEvent> = {}): FailureEvent => failureEvent({ occurredAt: "2026-12-01T10:00:00.000Z", ...over });
const record = (event: FailureEvent, id: string): SQSRecord => ({ messageId: id, body: JSON.stringify(event), attributes: { ApproximateReceiveCount: "1" } }) as unknown as SQSRecord;

/**
 * Oro's alerts in memory. The first look-up finds nothing (the race: the other invocation has not
 * created its alert yet); then the other alert appears, as it does in Oro a moment later.
 */
const raceStore = (other: { id: string; createdAt: string; count: number }, mine: { id: string; createdAt: string }) => {
  const alerts = new Map<string, StoredAlert>();
  const updates: Array<{ id: string; attributes: Record<string, unknown> }> = [];
  let lookups = 0;
  const stored = (id: string, key: AlertKey, createdAt: string, additionalInfo: Record<string, unknown>, message: string): StoredAlert =>
    ({ type: "notificationalerts", id, attributes: { ...key, resolved: false, message, additionalInfo, createdAt, updatedAt: createdAt } }) as unknown as StoredAlert;
  const store = {
    async findOpen(key: AlertKey) {
      lookups += 1;
      if (lookups === 1) return [];
      if (!alerts.has(other.id)) {
        alerts.set(other.id, stored(other.id, key, other.createdAt, { count: other.count, firstSeenAt: "2026-12-01T09:59:00.000Z", lastSeenAt: "2026-12-01T09:59:00.000Z", connector: "akeneo-products" }, "other"));
      }
      // Oro sorts by -updatedAt: the newest first, whatever was created first.
      return [...alerts.values()].filter((a) => !a.attributes?.resolved).sort((a, b) => String(b.attributes?.updatedAt).localeCompare(String(a.attributes?.updatedAt)));
    },
    async findAllOpen() {
      return [];
    },
    async create(key: AlertKey, fields: { message: string; additionalInfo: Record<string, unknown> }) {
      alerts.set(mine.id, stored(mine.id, key, mine.createdAt, fields.additionalInfo, fields.message));
      return mine.id;
    },
    async update(id: string, attributes: Record<string, unknown>) {
      updates.push({ id, attributes });
      const alert = alerts.get(id);
      if (alert?.attributes) Object.assign(alert.attributes, attributes);
    },
  };
  return { store: store as unknown as AlertStore, alerts, updates };
};

const run = async (store: AlertStore, records: SQSRecord[]) => {
  const dead: string[] = [];
  const actions = { changeVisibility: async () => undefined, sendToDlq: async (body: string) => void dead.push(body), emit: async () => undefined } as unknown as QueueActions;
  const metrics = new InvocationMetrics(createMetrics({ serviceName: "notifier-merge-test" }));
  const response = await processNotifierBatch({ Records: records }, { getRemainingTimeInMillis: () => 30_000 }, {
    config: readNotifierConfig({}, { oroSecretName: "oro/x", queueUrl: "q", dlqUrl: "d", backoffBaseSeconds: 0, deadlineMarginMs: 500 }),
    store,
    actions,
    logger: createRootLogger("notifier-merge-test"),
    metrics,
  });
  return { response, dead, merged: metrics.get("AlertDuplicatesMerged") };
};

const duplicateMessage = (keeper: string) => `Duplicate of alert ${keeper}, created at the same time by another notifier invocation; its occurrences were added there.`;

describe("Notifier: merging a concurrently created duplicate alert", () => {
  it("keeps the earlier alert, adds this invocation's occurrences to it and resolves its own newer one", async () => {
    const t = raceStore({ id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-12-01T10:00:01Z", count: 3 }, { id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2026-12-01T10:00:02Z" });

    const { response, dead, merged } = await run(t.store, [record(failure({ envelopeId: "e-1" }), "m-1"), record(failure({ envelopeId: "e-2", occurredAt: "2026-12-01T10:00:30.000Z" }), "m-2")]);

    expect(response.batchItemFailures).toEqual([]);
    expect(dead).toEqual([]);
    expect(merged).toBe(1);
    expect(t.updates.map((u) => u.id)).toEqual(["bbbbbbbb-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000001"]);
    // The keeper: its 3 occurrences + this batch's 2, its first sighting kept.
    expect(t.updates[0]?.attributes.additionalInfo).toMatchObject({ count: 5, firstSeenAt: "2026-12-01T09:59:00.000Z", lastSeenAt: "2026-12-01T10:00:30.000Z", envelopeId: "e-2" });
    expect(t.updates[1]?.attributes).toEqual({ resolved: true, message: duplicateMessage("bbbbbbbb-0000-4000-8000-000000000002") });
    expect(t.alerts.get("bbbbbbbb-0000-4000-8000-000000000002")?.attributes?.resolved).toBe(false);
  });

  it("keeps its own alert untouched when it is the earlier one (the other invocation merges into it)", async () => {
    const t = raceStore({ id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2026-12-01T10:00:05Z", count: 3 }, { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-12-01T10:00:02Z" });

    const { merged } = await run(t.store, [record(failure(), "m-1")]);

    expect(t.updates).toEqual([]);
    expect(merged).toBe(0);
    expect(t.alerts.get("bbbbbbbb-0000-4000-8000-000000000002")?.attributes?.resolved).toBe(false);
  });

  it("breaks a tie on createdAt (Oro keeps seconds) by the lower id", async () => {
    const lowerOther = raceStore({ id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2026-12-01T10:00:02Z", count: 1 }, { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-12-01T10:00:02Z" });
    await run(lowerOther.store, [record(failure(), "m-1")]);
    expect(lowerOther.updates.map((u) => [u.id, u.attributes.resolved ?? false])).toEqual([
      ["aaaaaaaa-0000-4000-8000-000000000001", false],
      ["bbbbbbbb-0000-4000-8000-000000000002", true],
    ]);

    const lowerMine = raceStore({ id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-12-01T10:00:02Z", count: 1 }, { id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2026-12-01T10:00:02Z" });
    await run(lowerMine.store, [record(failure(), "m-1")]);
    expect(lowerMine.updates).toEqual([]);
  });
});
