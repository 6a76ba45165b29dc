import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { PermanentError, TransientError } from "../shared/errors";
import { type Disposition, processRecordGroups, QueueActions, type RecordGroups } from "../shared/runtime";

/**
 * The batch engine for consumers whose unit is a group of records (shared/runtime/process-batch.ts
 * `processRecordGroups`; the notifier runs on it). The queue actions are stand-ins that record
 * the calls (a unit test of one function); test/notifier*.test.ts run it on fauxqs.
 */
const record = (id: string, receiveCount = "1"): SQSRecord =>
  ({ messageId: id, body: `body-${id}`, attributes: { ApproximateReceiveCount: receiveCount } }) as unknown as SQSRecord;
const settings = { maxReceiveCount: 3, backoffBaseSeconds: 10, backoffCapSeconds: 900, deadlineMarginMs: 1_000 };
const reason = { code: "X", message: "m", connector: "c", integration: "i", envelopeId: undefined };

type Group = { name: string; records: SQSRecord[]; work?: () => Promise<void> };

const harness = (over: { sendToDlq?: () => Promise<void>; changeVisibility?: (id: string) => Promise<boolean> } = {}) => {
  const visibility: Array<[string, number]> = [];
  const dlq: Array<[string, number, string]> = [];
  const actions = {
    changeVisibility: async (r: SQSRecord, seconds: number) => {
      if (over.changeVisibility) return over.changeVisibility(r.messageId);
      visibility.push([r.messageId, seconds]);
      return true;
    },
    sendToDlq: async (body: string, why: { attempt: number; code: string }) => {
      if (over.sendToDlq) await over.sendToDlq();
      dlq.push([body, why.attempt, why.code]);
    },
  };
  const failed: Array<[string, Disposition]> = [];
  const run = (lanes: Group[][], extra: Partial<RecordGroups<Group>> = {}, remainingMs = 30_000) =>
    processRecordGroups(
      { getRemainingTimeInMillis: () => remainingMs },
      { settings, actions, random: () => 0.5 },
      {
        rejected: [],
        lanes,
        concurrency: 2,
        recordsOf: (g) => g.records,
        handle: async (g) => g.work?.(),
        reasonOf: (g, error) => ({ ...reason, code: `${g.name}:${(error as Error).message}` }),
        onFailed: (g, disposition) => void failed.push([g.name, disposition]),
        ...extra,
      },
    );
  return { run, visibility, dlq, failed };
};

describe("Function: processRecordGroups", () => {
  it("acknowledges groups whose work succeeds and runs a lane's groups in order", async () => {
    const h = harness();
    const order: string[] = [];
    const step = (name: string) => async () => void order.push(name);
    const response = await h.run([
      [
        { name: "a1", records: [record("1")], work: step("a1") },
        { name: "a2", records: [record("2")], work: step("a2") },
      ],
      [{ name: "b1", records: [record("3"), record("4")], work: step("b1") }],
    ]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(order.indexOf("a1")).toBeLessThan(order.indexOf("a2"));
    expect(order.sort()).toEqual(["a1", "a2", "b1"]);
    expect(h.visibility).toEqual([]);
  });

  it("retries a transient failure with backoff by each record's own count, judged by the most-tried record", async () => {
    const h = harness();
    const response = await h.run([
      [{ name: "g", records: [record("1", "1"), record("2", "3")], work: async () => Promise.reject(new TransientError("down")) }],
    ]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["1", "2"]);
    // Full jitter at 0.5 of base 10 x 2^(n-1): 5 s and 20 s.
    expect(h.visibility).toEqual([
      ["1", 5],
      ["2", 20],
    ]);
    expect(h.failed).toEqual([["g", "retry-last"]]);
  });

  it("dead-letters a permanent failure's records with the group's reason and each record's attempt, acknowledged", async () => {
    const h = harness();
    const response = await h.run([[{ name: "g", records: [record("1", "2"), record("2")], work: async () => Promise.reject(new PermanentError("bad")) }]]);
    expect(response.batchItemFailures).toEqual([]);
    expect(h.dlq).toEqual([
      ["body-1", 2, "g:bad"],
      ["body-2", 1, "g:bad"],
    ]);
    expect(h.failed).toEqual([["g", "dead-letter"]]);
  });

  it("uses the consumer's own rule for what is permanent", async () => {
    const h = harness();
    await h.run([[{ name: "g", records: [record("1")], work: async () => Promise.reject(new PermanentError("bad")) }]], { permanent: () => false });
    expect(h.failed).toEqual([["g", "retry"]]);
    expect(h.dlq).toEqual([]);
  });

  it("dead-letters rejected records at once, and retries one whose DLQ send failed", async () => {
    const sent = harness();
    const response = await sent.run([], { rejected: [{ record: record("1", "4"), reason }] });
    expect(response.batchItemFailures).toEqual([]);
    expect(sent.dlq).toEqual([["body-1", 4, "X"]]);

    const failedSends: string[] = [];
    const down = harness({ sendToDlq: async () => Promise.reject(new Error("SQS down")) });
    const retried = await down.run([], { rejected: [{ record: record("1", "2"), reason }], onDeadLetterFailed: (r) => void failedSends.push(r.messageId) });
    expect(retried.batchItemFailures).toEqual([{ itemIdentifier: "1" }]);
    expect(down.visibility).toEqual([["1", 10]]);
    expect(failedSends).toEqual(["1"]);
  });

  it("starts no group within the deadline margin: its records come back at once", async () => {
    const h = harness();
    let started = false;
    const response = await h.run([[{ name: "g", records: [record("1")], work: async () => void (started = true) }]], {}, 900);
    expect(started).toBe(false);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "1" }]);
    expect(h.visibility).toEqual([["1", 0]]);
  });

  it("gives a group stopped by the deadline back at once, without backoff", async () => {
    const h = harness();
    // 1,400 ms left, margin 1,000: the signal fires at 900 ms (the margin's half before the end).
    const response = await h.run(
      [
        [
          {
            name: "g",
            records: [record("1")],
            work: async () => Promise.reject(new TransientError("late")),
          },
        ],
      ],
      {
        handle: async (_g, invocation) => {
          await new Promise<void>((resolve) => invocation.signal.addEventListener("abort", () => resolve()));
          throw new TransientError("aborted");
        },
      },
      1_400,
    );
    expect(h.failed).toEqual([["g", "release"]]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "1" }]);
    expect(h.visibility).toEqual([["1", 0]]);
  });

  it("fails only the group whose settling threw, without throwing out of the batch", async () => {
    const h = harness({ changeVisibility: async (id) => (id === "1" ? Promise.reject(new Error("boom")) : true) });
    const response = await h.run([
      [{ name: "bad", records: [record("1")], work: async () => Promise.reject(new TransientError("down")) }],
      [{ name: "good", records: [record("2")] }],
    ]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "1" }]);
  });
});

describe("QueueActions without an alerts queue (the notifier's)", () => {
  it("refuses to emit alert events with a configuration error instead of sending them anywhere", async () => {
    let calls = 0;
    const actions = new QueueActions(async () => ({ send: async () => void (calls += 1) }) as never, {
      queueUrl: "q",
      dlqUrl: "d",
      alertsQueueUrl: undefined,
      fifo: false,
      connector: "notifier",
      integration: "notifier",
    });
    await expect(actions.emit([])).rejects.toMatchObject({
      name: "TransientError",
      code: "CONFIGURATION",
      message: "this function has no ALERTS_QUEUE_URL to send alert events to",
    });
    expect(calls).toBe(0);
  });
});
