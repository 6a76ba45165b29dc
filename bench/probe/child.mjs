// One Lambda container, as a fresh Node process (bench/probe/rig.ts forks it): import the bundle,
// handle the first SQS event (what a user waits for after a deploy or a scale-out), report, then,
// when the parent says so, poll the function's queue as the event source mapping does (receive
// up to the configured batch size, invoke, delete what succeeded) until it stays empty, and report
// each invocation's duration and the process's peak memory. Plain JS, no loader: nothing but the
// bundle and the SDK it loads itself runs in here. Not product code.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { pathToFileURL } from "node:url";

const t0 = performance.now();
const mod = await import(pathToFileURL(process.env.PROBE_BUNDLE).href);
const importMs = performance.now() - t0;
const handler = mod.handler;
const timeoutMs = Number(process.env.PROBE_TIMEOUT_MS ?? 60_000);
const send = (message) => new Promise((resolve) => process.send(message, resolve));
const flushStdout = () => new Promise((resolve) => process.stdout.write("", resolve));

const context = () => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: process.env.PROBE_NAME ?? "probe",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${process.env.PROBE_NAME ?? "probe"}`,
    memoryLimitInMB: process.env.PROBE_MEMORY_MB ?? "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${process.env.PROBE_NAME ?? "probe"}`,
    logStreamName: "probe",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const started = performance.now();
const firstResult = await handler(JSON.parse(process.env.PROBE_FIRST), context());
const done = performance.now();
// CPU time of the whole process so far (Node's start included, the same for every bundle): what
// the first record cost the container, robust against other processes taking the cores.
const cpu = process.cpuUsage();
await flushStdout();
await send({
  phase: "first",
  importMs,
  handlerMs: done - started,
  firstRecordMs: done - t0,
  cpuMs: (cpu.user + cpu.system) / 1000,
  failures: firstResult?.batchItemFailures?.length ?? 0,
});

const queueUrl = process.env.PROBE_QUEUE;
if (!queueUrl) process.exit(0);
await new Promise((resolve) => process.once("message", resolve));

const { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand } = await import("@aws-sdk/client-sqs");
const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS, region: "us-east-1" });
const batchSize = Number(process.env.PROBE_BATCH ?? 10);
const arn = `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split("/").pop()}`;
const toRecord = (m) => ({
  messageId: m.MessageId,
  receiptHandle: m.ReceiptHandle,
  body: m.Body ?? "",
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: String(Date.now()),
    SenderId: "probe",
    ApproximateFirstReceiveTimestamp: String(Date.now()),
    ...(m.Attributes ?? {}),
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN: arn,
  awsRegion: "us-east-1",
});

const heapBase = process.memoryUsage().heapUsed;
let heapPeak = heapBase;
const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
const invocations = [];
const limitAt = Date.now() + Number(process.env.PROBE_WARM_LIMIT_MS ?? 180_000);
let empty = 0;
while (Date.now() < limitAt && invocations.length < 2_000) {
  const messages = [];
  // Lambda's poller gathers up to the batch size (10 per ReceiveMessage).
  while (messages.length < batchSize) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 120,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (!got.Messages?.length) break;
    messages.push(...got.Messages);
  }
  if (messages.length === 0) {
    if (++empty >= 3) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
    continue;
  }
  empty = 0;
  const start = performance.now();
  const result = await handler({ Records: messages.map(toRecord) }, context());
  invocations.push({ ms: performance.now() - start, messages: messages.length, failures: result?.batchItemFailures?.length ?? 0 });
  const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  const ok = messages.filter((m) => !failed.has(m.MessageId));
  for (let i = 0; i < ok.length; i += 10) {
    await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ok.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })) }),
    );
  }
}
clearInterval(sampler);
await flushStdout();
await send({ phase: "warm", invocations, heapBaseMb: heapBase / 2 ** 20, heapPeakMb: heapPeak / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 });
process.exit(0);
