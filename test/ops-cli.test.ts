import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope } from "../shared/messages";
import { spawnCli, startOpsHarness } from "./ops-harness";
import type { OpsHarness } from "./ops-harness";

/**
 * The `oro-connectors` bin end to end: a real child process (ops/bin.mjs, as npm links it)
 * against the local services of this test process, found through the local stack's endpoints
 * file. Exit codes and `--json` documents are what scripts rely on.
 */
let h: OpsHarness;

beforeAll(async () => {
  h = await startOpsHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const cli = (args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) => spawnCli(args, { cwd: h.dir, ...options });

const local = () => ["--local", "--endpoints", h.endpointsPath];

describe("oro-connectors bin", () => {
  it("sends a payload from stdin, then peeks and redrives a DLQ, with --json and meaningful exit codes", async () => {
    const sent = await cli(["send", "akeneo-main", "akeneo-products", "-", "--type", "window", "--id", "cli-1", "--json", ...local()], {
      stdin: JSON.stringify({ scheduledTime: "2025-01-01T00:00:00Z" }),
    });
    expect(sent.stderr).toBe("");
    expect(sent.code).toBe(0);
    expect(sent.json).toMatchObject({ ok: true, exitCode: 0, result: { envelopeId: "cli-1", type: "window", queue: "opst-akeneo-main-akeneo-products" } });
    const [message] = await h.aws.drain(h.url("opst-akeneo-main-akeneo-products"), 1);
    expect(JSON.parse(message?.Body ?? "{}")).toMatchObject({ id: "cli-1", payload: { scheduledTime: "2025-01-01T00:00:00Z" } });

    const dlq = h.url("opst-akeneo-main-akeneo-products-dlq");
    await h.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: JSON.stringify(createEnvelope({ id: "w-9", integration: "akeneo-main", connector: "akeneo-products", type: "window", payload: {} })),
      }),
    );
    // ORO_CONNECTORS_LOCAL=1 works like --local.
    const peek = await cli(["dlq", "peek", "akeneo-main", "akeneo-products", "--json", "--endpoints", h.endpointsPath], { env: { ORO_CONNECTORS_LOCAL: "1" } });
    expect(peek.code).toBe(1);
    expect(peek.json.result?.messages).toEqual([expect.objectContaining({ envelopeId: "w-9", deadLetteredBy: "sqs-redrive-policy" })]);

    const redrive = await cli(["dlq", "redrive", "akeneo-main", "akeneo-products", "--json", ...local()]);
    expect(redrive.code).toBe(0);
    expect(redrive.json.result).toMatchObject({ moved: 1, kept: 0, failed: 0, method: "receive-send-delete" });
    // No progress bar: stderr is a pipe here.
    expect(redrive.stderr).toBe("");
    const [back] = await h.aws.drain(h.url("opst-akeneo-main-akeneo-products"), 1);
    expect(back?.MessageAttributes?.ErrorCode?.StringValue).toBe("REDRIVEN");
  });

  it("backfills, checks and reports status in text and JSON", async () => {
    const backfill = await cli([
      "backfill",
      "akeneo-main",
      "akeneo-products",
      "--from",
      "2025-01-01T00:00:00Z",
      "--to",
      "2025-01-01T01:00:00Z",
      "--dry-run",
      ...local(),
    ]);
    expect(backfill.code).toBe(0);
    expect(backfill.stdout).toMatch(/4 "window" message\(s\), windows of 15 min \(\+5 min overlap\), payload \{scheduledTime\} \(dry run, nothing sent\)/);
    expect(backfill.stdout).toContain("2025-01-01T01:00:00Z  reads 2025-01-01T00:40:00Z .. 2025-01-01T01:00:00Z");

    const check = await cli(["check", "erp-main", "--json", ...local()]);
    expect(check.code).toBe(0);
    expect(check.json.result).toMatchObject({ ok: true, type: "erp" });

    const status = await cli(["status", ...local()]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/akeneo-main\/akeneo-products/);
    // No connector runs in this harness, so the ledger (dynalite) holds no run.
    expect(status.stdout).toMatch(/akeneo-main\/akeneo-products: last success, window end - \(no run yet\); last failure -; backlog \d+/);
  });

  it("exits 2 on usage errors and 3 when the local stack is not running", async () => {
    const usage = await cli(["send", "akeneo-main", "--json", ...local()]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/send takes <integration> <connector> \[file\|-\]/);
    expect(usage.json).toMatchObject({ ok: false, exitCode: 2 });

    const invalid = await cli(["send", "akeneo-main", "akeneo-products", "-", "--type", "page", ...local()], { stdin: "{}" });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/page message payload is invalid/);

    const down = await cli(["status", "--json", "--local", "--endpoints", join(h.dir, "no-such-endpoints.json")]);
    expect(down.code).toBe(3);
    expect(down.json.error?.message).toMatch(/the local stack is not running/);

    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}ok\n {2}1 {2}failures found/);
  });
});
