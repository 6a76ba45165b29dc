import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../local-stack/stack";
import type { LocalStack } from "../local-stack/stack";
import { run } from "../ops/cli";
import type { OpsIo } from "../ops/io";
import { spawnCli } from "./ops-harness";

/**
 * The ops CLI against the real local stack (`npm start`'s startLocalStack: the deploy config's
 * queues, the sandboxes, the connectors behind emulated event source mappings, the notifier),
 * found only through the endpoints file the stack writes.
 */
let stack: LocalStack;
let dir: string;
let endpointsFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ops-local-stack-"));
  endpointsFile = join(dir, "endpoints.json");
  stack = await startLocalStack({ ephemeralPorts: true, endpointsFile, fireSchedulesAtStart: false, backoffBaseSeconds: 0 });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const io = (): OpsIo & { stdout: string[] } => {
  const stdout: string[] = [];
  return { stdout, out: (t) => stdout.push(t), err: () => undefined, errRaw: () => undefined, stderrIsTTY: false, readStdin: async () => "", env: {} };
};

describe("ops CLI on the local stack", () => {
  it("checks every integration of the default config", async () => {
    const result = await spawnCli(["check", "akeneo-main", "--json", "--local", "--endpoints", endpointsFile], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.json.result).toMatchObject({ ok: true });
    expect(await run(["check", "erp-main", "--local", "--endpoints", endpointsFile], io())).toBe(0);
  });

  it("backfills windows the running connector processes, and finds a dead-lettered message, its alert and its redrive", async () => {
    const backfill = io();
    expect(
      await run(
        [
          "backfill",
          "akeneo-main",
          "akeneo-products",
          "--from",
          "2025-01-01T00:00:00Z",
          "--to",
          "2025-01-01T00:30:00Z",
          "--json",
          "--local",
          "--endpoints",
          endpointsFile,
        ],
        backfill,
      ),
    ).toBe(0);
    expect(JSON.parse(backfill.stdout.join("")).result).toMatchObject({ sent: 2, failed: 0 });
    await stack.idle(20_000);
    const clean = io();
    expect(await run(["status", "akeneo-main", "--json", "--local", "--endpoints", endpointsFile], clean)).toBe(0);
    expect(JSON.parse(clean.stdout.join("")).result.connectors[0]).toMatchObject({ queue: { visible: 0, inFlight: 0 }, dlq: { visible: 0 } });

    // A body the connector rejects (bypassing the CLI's validation): DLQ + alert.
    const akeneo = stack.connectors.find((c) => c.resolved.connector === "akeneo-products");
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: akeneo?.queueUrl,
        MessageBody: JSON.stringify({ version: 1, id: "bad-1", integration: "akeneo-main", connector: "akeneo-products", type: "page", payload: {} }),
      }),
    );
    await stack.idle(20_000);
    const failing = io();
    expect(await run(["status", "--json", "--local", "--endpoints", endpointsFile], failing)).toBe(1);
    const report = JSON.parse(failing.stdout.join("")).result;
    expect(report.connectors.find((c: { connector: string }) => c.connector === "akeneo-products").dlq.visible).toBe(1);
    expect(report.alerts).toMatchObject({ available: true, unresolved: 1 });

    const peek = io();
    expect(await run(["dlq", "peek", "akeneo-main", "akeneo-products", "--json", "--local", "--endpoints", endpointsFile], peek)).toBe(1);
    expect(JSON.parse(peek.stdout.join("")).result.messages[0]).toMatchObject({
      envelopeId: "bad-1",
      deadLetteredBy: "runtime",
      error: { code: expect.any(String) },
    });
    const dry = io();
    expect(
      await run(
        ["dlq", "redrive", "akeneo-main", "akeneo-products", "--envelope-id", "bad-1", "--dry-run", "--json", "--local", "--endpoints", endpointsFile],
        dry,
      ),
    ).toBe(0);
    expect(JSON.parse(dry.stdout.join("")).result).toMatchObject({ moved: 1, dryRun: true });
  });
});
