import { SendMessageBatchCommand, SendMessageCommand, SQSClient, CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invocationNumber, invocationTraceId, lineageHash, parseLineage } from "../../local-stack/recursion";
import { type LocalSqs, startLocalSqs } from "../../local-stack/sqs";

describe("Lineage of an X-Ray trace header", () => {
  it("reads both header forms and several functions' entries", () => {
    expect([...parseLineage("Root=1-64d38018-6a56d23a731e0cbe6ed85687;Parent=1e4dbd311c45e826;Sampled=0;Lineage=037bed70:0")]).toEqual([["037bed70", 0]]);
    expect([...parseLineage("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1;Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2")]).toEqual([
      ["a87bd80c", 1],
      ["68fd508a", 5],
      ["c512fbe3", 2],
    ]);
    expect([...parseLineage("Root=1-b5a9daed-357f662c2c285cf280b61d38;Parent=6654c0335342e1d2;Sampled=1;Lineage=1:fe460cdd:0")]).toEqual([["fe460cdd", 0]]);
    expect(parseLineage(undefined).size).toBe(0);
    expect(parseLineage("Root=1-5759e988-bd862e3fe1be46a994272793").size).toBe(0);
  });

  it("numbers a chain's invocations from 1 and carries the other functions' counts on", () => {
    const fn = lineageHash("arn:aws:lambda:us-east-1:000000000000:function:erp-main-erp-stock");
    expect(fn).toMatch(/^[0-9a-f]{8}$/);
    expect(invocationNumber(new Map(), fn)).toBe(1);
    const first = invocationTraceId([undefined], fn);
    expect(first.invocation).toBe(1);
    expect(first.traceId).toMatch(new RegExp(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:${fn}:0$`));
    const next = invocationTraceId([`Root=1-00000001-000000000000000000000001;Lineage=1:${fn}:14|1:abcdef01:3`, `Lineage=1:${fn}:2`], fn);
    expect(next.invocation).toBe(16);
    expect(next.traceId).toContain("Root=1-00000001-000000000000000000000001;");
    expect(next.traceId).toContain(`Lineage=1:${fn}:15|1:abcdef01:3`);
  });
});

describe("The local SQS keeps AWSTraceHeader as SQS does", () => {
  let local: LocalSqs;
  let sqs: SQSClient;
  let queueUrl: string;
  beforeAll(async () => {
    local = await startLocalSqs();
    sqs = new SQSClient({ endpoint: local.address, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "trace" }))).QueueUrl as string;
  });
  afterAll(async () => {
    sqs.destroy();
    await local.stop();
  });
  /** The X-Amzn-Trace-Id the next sends carry (what the SDK middleware sets inside a Lambda). */
  let traceHeader: string | undefined;
  beforeAll(() => {
    sqs.middlewareStack.add(
      (next) => async (args) => {
        if (traceHeader) (args.request as { headers: Record<string, string> }).headers["X-Amzn-Trace-Id"] = traceHeader;
        return next(args);
      },
      { step: "build", name: "testTraceHeader" },
    );
  });

  it("stores the HTTP header for every message of a batch, lets the system attribute override it, and returns it only when asked", async () => {
    traceHeader = "Root=1-a;Lineage=1:aaaaaaaa:3";
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "one" }));
    traceHeader = "Root=1-b;Lineage=1:bbbbbbbb:4";
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: "b", MessageBody: "two" },
          { Id: "c", MessageBody: "three", MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-c;Lineage=1:cccccccc:9" } } },
        ],
      }),
    );
    traceHeader = undefined;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "four" }));
    const bare = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages ?? [];
    expect(bare.map((m) => m.Attributes?.AWSTraceHeader)).toEqual([undefined, undefined, undefined, undefined]);
    const asked =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["AWSTraceHeader"] }))).Messages ??
      [];
    expect(Object.fromEntries(asked.map((m) => [m.Body, m.Attributes?.AWSTraceHeader]))).toEqual({
      one: "Root=1-a;Lineage=1:aaaaaaaa:3",
      two: "Root=1-b;Lineage=1:bbbbbbbb:4",
      three: "Root=1-c;Lineage=1:cccccccc:9",
      four: undefined,
    });
  });
});
