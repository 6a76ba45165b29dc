import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngressHandler, IngressEnv } from "../functions/webhook-ingress";
import { main as registerWebhookCli } from "../ops/register-webhook";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";
import { OroWebhookBodySchema } from "../shared/messages";
import { startFunctionUrlAdapter } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The whole webhook path on the local services: the ops script registers a webhook in the Oro
 * sandbox; an order created there is delivered (signed, over HTTP) to a 127.0.0.1 stand-in for
 * the Function URL, which invokes the ingress handler; the body ends on the connector queue.
 */
const CLIENT = { id: "ops", secret: "ops-oauth-secret-0001" };
const WEBHOOK_SECRET_NAME = "oro/webhook-signing";
const SIGNING_SECRET = "whsec-e2e-0123456789abcdef";

let aws: LocalAws;
let oro: OroSandbox;
let adapter: Awaited<ReturnType<typeof startFunctionUrlAdapter>>;
let ordersQueue: string;

const cliWith = async (io: { env?: NodeJS.ProcessEnv; stdin?: string }, ...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await registerWebhookCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: io.env ?? {}, readStdin: async () => io.stdin ?? "" });
  return { code, out: out.join("\n"), err: err.join("\n") };
};
const cli = (...args: string[]) => cliWith({}, ...args);
// The client secret from a file, never inline (ps and shell history would see it).
const secretFile = join(mkdtempSync(join(tmpdir(), "webhook-e2e-")), "client-secret");
writeFileSync(secretFile, `${CLIENT.secret}\n`, { mode: 0o600 });
const connection = () => ["--oro-url", oro.url, "--client-id", CLIENT.id, "--client-secret-file", secretFile];

beforeAll(async () => {
  aws = await startLocalAws();
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, webhookRetry: { baseDelayMs: 10, maxAttempts: 2, maxDelayMs: 50 } });
  ordersQueue = await aws.createQueue("e2e-orders");
  aws.secrets.put(WEBHOOK_SECRET_NAME, { secret: SIGNING_SECRET });
  const handler = createIngressHandler({
    env: { [IngressEnv.WEBHOOK_SECRET_NAME]: WEBHOOK_SECRET_NAME, [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify({ "order.created": ordersQueue }) },
  });
  adapter = await startFunctionUrlAdapter(handler);
});

afterAll(async () => {
  await adapter?.close();
  await oro?.stop();
  await aws?.stop();
});

describe("Webhook path: Oro sandbox -> Function URL -> ingress -> connector queue", () => {
  it("registers the webhook with the ops script; registering again replaces it (create, then delete), without printing the secret", async () => {
    const first = await cli(...connection(), "--url", adapter.url, "--topic", "order.created", "--secret-name", WEBHOOK_SECRET_NAME, "--no-verify-ssl");
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(new RegExp(`^created webhook [0-9a-f-]{36}: topic order.created -> ${adapter.url}$`));
    const firstId = /^created webhook ([0-9a-f-]{36})/.exec(first.out)?.[1];

    const again = await cli(...connection(), "--url", adapter.url, "--topic", "order.created", "--secret-name", WEBHOOK_SECRET_NAME, "--no-verify-ssl");
    const lines = again.out.split("\n");
    expect(lines).toHaveLength(2);
    const secondId = /^created webhook ([0-9a-f-]{36}): topic order.created -> /.exec(lines[0] ?? "")?.[1];
    expect(secondId).toBeDefined();
    expect(secondId).not.toBe(firstId);
    expect(lines[1]).toBe(`deleted webhook ${firstId}: topic order.created -> ${adapter.url} (replaced by ${secondId})`);
    expect(`${first.out}${again.out}`).not.toContain(SIGNING_SECRET);

    const webhooks = await oro.admin.state<Array<{ attributes: Record<string, unknown> }>>("webhooks");
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]?.attributes).toMatchObject({ notificationUrl: adapter.url, enabled: true, verifySsl: false, secret: SIGNING_SECRET });
  });

  it("delivers an order created in Oro, signed, through the ingress onto the connector queue unchanged", async () => {
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 2 }] });
    await oro.webhooks.idle();

    const deliveries = await oro.admin.webhookDeliveries();
    expect(deliveries.at(-1)).toMatchObject({ topic: "order.created", status: 202, outcome: "delivered", attempt: 1 });
    const [message, ...rest] = await aws.drain(ordersQueue);
    expect(rest).toEqual([]);
    const body = OroWebhookBodySchema.parse(JSON.parse(message?.Body ?? ""));
    expect(body.topic).toBe("order.created");
    expect(body.messageId).toBe(deliveries.at(-1)?.messageId);
    expect((body.eventData as { data: { type: string } }).data.type).toBe("orders");
    expect(message?.MessageAttributes?.WebhookTopic?.StringValue).toBe("order.created");
  });

  it("is refused (401) when Oro signs with another secret, and Oro does not delete the webhook", async () => {
    const changed = await cli(
      ...connection(),
      "--url",
      adapter.url,
      "--topic",
      "order.created",
      "--secret",
      "whsec-someone-else-entirely-1",
      "--no-verify-ssl",
    );
    expect(changed.code).toBe(0);
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();

    expect((await oro.admin.webhookDeliveries()).at(-1)).toMatchObject({ status: 401, outcome: "failed" });
    expect(await aws.drain(ordersQueue)).toEqual([]);
    expect(await oro.admin.state("webhooks")).toHaveLength(1);
  });

  it("lists and deletes the webhook with the ops script", async () => {
    const listed = await cli(...connection(), "--list", "--url", adapter.url);
    expect(listed.out).toMatch(/^found webhook .*: topic order.created -> /);
    const deleted = await cli(...connection(), "--delete", "--url", adapter.url);
    expect(deleted.out).toMatch(/^deleted webhook /);
    expect(await oro.admin.state("webhooks")).toEqual([]);

    const requestsBefore = adapter.requests;
    await oro.admin.createOrder({ lines: [{ sku: "SKU-0001", quantity: 1 }] });
    await oro.webhooks.idle();
    expect(adapter.requests).toBe(requestsBefore);
  });

  it("reads secrets from a file, stdin or the environment, and warns (without the value) when one is given inline", async () => {
    const base = ["--oro-url", oro.url, "--client-id", CLIENT.id, "--list"];
    const inline = await cli(...base, "--client-secret", CLIENT.secret);
    expect(inline.code).toBe(0);
    expect(inline.err).toBe(
      "warning: --client-secret on the command line is visible in ps and kept in shell history; use --client-secret-file <path|-> or env ORO_CLIENT_SECRET",
    );
    expect(await cliWith({ stdin: `${CLIENT.secret}\n` }, ...base, "--client-secret-file", "-")).toMatchObject({ code: 0, err: "" });
    expect(await cliWith({ env: { ORO_CLIENT_SECRET: CLIENT.secret } }, ...base)).toMatchObject({ code: 0, err: "" });
    // A wrong secret from stdin is really used (and refused by Oro).
    expect((await cliWith({ stdin: "not-the-secret" }, ...base, "--client-secret-file", "-")).code).toBe(1);
    const signing = await cliWith(
      { stdin: "whsec-from-stdin-0123456789" },
      ...connection(),
      "--url",
      adapter.url,
      "--topic",
      "order.created",
      "--secret-file",
      "-",
      "--no-verify-ssl",
    );
    expect(signing).toMatchObject({ code: 0, err: "" });
    expect((await oro.admin.state<Array<{ attributes: Record<string, unknown> }>>("webhooks"))[0]?.attributes.secret).toBe("whsec-from-stdin-0123456789");
    const warned = await cli(...connection(), "--url", adapter.url, "--topic", "order.created", "--secret", "whsec-inline-0123456789abc", "--no-verify-ssl");
    expect(warned.err).toMatch(/^warning: --secret on the command line is visible in ps/);
    expect(`${inline.err}${warned.err}`).not.toContain(CLIENT.secret);
    expect(warned.err).not.toContain("whsec-inline");
  });

  it("explains what is missing when the script is called without a topic or credentials", async () => {
    expect(await cli("--url", adapter.url, "--topic", "order.created", "--secret", SIGNING_SECRET)).toMatchObject({
      code: 2,
      err: expect.stringContaining("give --oro-secret"),
    });
    expect(await cli(...connection(), "--url", adapter.url, "--secret", SIGNING_SECRET)).toMatchObject({
      code: 2,
      err: expect.stringContaining("--topic is required"),
    });
  });
});
