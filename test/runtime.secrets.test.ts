import type { Message } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { pollOnce } from "../local-stack/event-source";
import { testConnector } from "./fixtures/test-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

const SECRET = "sk-live-Very$ecret/Value+42";
const INTEGRATION = "leak-check";

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws.stop();
});

/** Every string the runtime wrote anywhere a person or system could read it. */
const everything = (lines: string[], messages: Message[]) =>
  [...lines, ...messages.map((m) => JSON.stringify({ body: m.Body, attributes: m.MessageAttributes }))].join("\n");

describe("Secret redaction", () => {
  it("keeps a loaded secret out of every log line, DLQ attribute and alert event, even when code echoes it", async () => {
    const queues = await aws.createConnectorQueues("leak");
    const alertsQueueUrl = await aws.createQueue("leak-alerts");
    aws.secrets.put("leak/secret", { apiUrl: "http://127.0.0.1:9/", apiKey: SECRET });

    const lines: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        lines.push(String(chunk));
        void rest;
        return true;
      }) as typeof stream.write;
      return () => {
        stream.write = original;
      };
    };
    const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
    const restoreOut = capture(process.stdout);
    const restoreErr = capture(process.stderr);
    try {
      const handler = createConnectorHandler(testConnector, {
        env: {},
        overrides: {
          integration: INTEGRATION,
          connector: testConnector.type,
          queueUrl: queues.queueUrl,
          dlqUrl: queues.dlqUrl,
          alertsQueueUrl,
          integrationSecretName: "leak/secret",
          backoffBaseSeconds: 0,
          maxReceiveCount: 1,
        },
      });
      for (let i = 0; i < 5; i++) {
        await aws.send(
          queues.queueUrl,
          JSON.stringify(
            createEnvelope({ id: `leak-${i}`, integration: INTEGRATION, connector: testConnector.type, type: "work", payload: { outcome: "leak" } }),
          ),
        );
      }
      // A transient failure on the last attempt too (the fake API on port 9 refuses connections).
      await aws.send(
        queues.queueUrl,
        JSON.stringify(createEnvelope({ id: "ping", integration: INTEGRATION, connector: testConnector.type, type: "work", payload: { outcome: "ping" } })),
      );
      const result = await pollOnce({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler });
      expect(result.received).toBe(6);
    } finally {
      restoreOut();
      restoreErr();
      process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
    }

    const dlq = await aws.drain(queues.dlqUrl);
    const alerts = await aws.drain(alertsQueueUrl);
    expect(dlq).toHaveLength(5);
    expect(alerts).toHaveLength(6);
    const text = everything(lines, [...dlq, ...alerts]);
    // The test is only meaningful if the runtime really wrote about these failures.
    expect(text).toContain("upstream rejected key ***");
    expect(text).toContain("calling upstream with key ***");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
  });
});
