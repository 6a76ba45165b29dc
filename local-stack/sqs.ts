import { request, createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startFauxqs, type FauxqsServer } from "fauxqs";

/**
 * The local SQS: fauxqs behind a thin HTTP layer that adds the one SQS behaviour fauxqs lacks and
 * Lambda's recursive loop detection needs: the X-Ray trace header. On AWS, a SendMessage or
 * SendMessageBatch request's `X-Amzn-Trace-Id` header (the SDK's recursion-detection middleware
 * copies the function's trace id into it) is stored with each message as its `AWSTraceHeader`
 * system attribute; an explicit `MessageSystemAttributes.AWSTraceHeader` takes precedence; a
 * ReceiveMessage that asks for `AWSTraceHeader` (or `All`) gets it back
 * (docs/reference/lambda-recursion.md). fauxqs 2.4 ignores both the header and
 * the attribute, so this layer keeps them per MessageId and adds them to receives. Everything
 * else passes through unchanged.
 */
export interface LocalSqs {
  fauxqs: FauxqsServer;
  /** The endpoint clients use (this layer, on 127.0.0.1). */
  address: string;
  /** AWSTraceHeader per MessageId, as SQS stores it. */
  traceHeaders: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

const TARGET_PREFIX = "AmazonSQS.";

interface SendEntry {
  Id?: string;
  MessageSystemAttributes?: { AWSTraceHeader?: { StringValue?: string } };
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const wantsTraceHeader = (body: { MessageSystemAttributeNames?: string[]; AttributeNames?: string[] }): boolean =>
  [...(body.MessageSystemAttributeNames ?? []), ...(body.AttributeNames ?? [])].some((name) => name === "All" || name === "AWSTraceHeader");

/** Starts fauxqs on an ephemeral port and the trace-header layer on `port` (0: ephemeral), both on 127.0.0.1. */
export const startLocalSqs = async (options: { port?: number } = {}): Promise<LocalSqs> => {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: "127.0.0.1" });
  const upstream = new URL(fauxqs.address);
  const traceHeaders = new Map<string, string>();

  const remember = (action: string, requestBody: Record<string, unknown>, responseBody: Record<string, unknown>, httpHeader: string | undefined) => {
    if (action === "SendMessage") {
      const header = (requestBody as SendEntry).MessageSystemAttributes?.AWSTraceHeader?.StringValue ?? httpHeader;
      if (header && typeof responseBody.MessageId === "string") traceHeaders.set(responseBody.MessageId, header);
    } else if (action === "SendMessageBatch") {
      const entries = new Map(((requestBody.Entries ?? []) as SendEntry[]).map((entry) => [entry.Id, entry]));
      for (const done of (responseBody.Successful ?? []) as { Id?: string; MessageId?: string }[]) {
        const header = entries.get(done.Id)?.MessageSystemAttributes?.AWSTraceHeader?.StringValue ?? httpHeader;
        if (header && done.MessageId) traceHeaders.set(done.MessageId, header);
      }
    }
  };

  const annotate = (requestBody: Record<string, unknown>, responseBody: Record<string, unknown>): boolean => {
    if (!wantsTraceHeader(requestBody)) return false;
    let changed = false;
    for (const message of (responseBody.Messages ?? []) as { MessageId?: string; Attributes?: Record<string, string> }[]) {
      const header = message.MessageId ? traceHeaders.get(message.MessageId) : undefined;
      if (!header) continue;
      message.Attributes = { ...message.Attributes, AWSTraceHeader: header };
      changed = true;
    }
    return changed;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = headerValue(req.headers, "x-amz-target");
      const action = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (upstreamRes) => {
          const out: Buffer[] = [];
          upstreamRes.on("data", (chunk: Buffer) => out.push(chunk));
          upstreamRes.on("end", () => {
            let payload = Buffer.concat(out);
            const ok = (upstreamRes.statusCode ?? 500) < 300;
            if (ok && (action === "SendMessage" || action === "SendMessageBatch" || action === "ReceiveMessage")) {
              try {
                const requestBody = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
                const responseBody = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
                if (action === "ReceiveMessage") {
                  if (annotate(requestBody, responseBody)) payload = Buffer.from(JSON.stringify(responseBody));
                } else remember(action, requestBody, responseBody, headerValue(req.headers, "x-amzn-trace-id"));
              } catch {
                // Not JSON (query protocol): passed through as it is.
              }
            }
            const headers = { ...upstreamRes.headers, "content-length": String(payload.length) };
            res.writeHead(upstreamRes.statusCode ?? 500, headers).end(payload);
          });
        },
      );
      forward.on("error", (error) => {
        res.writeHead(502, { "content-type": "text/plain" }).end(`local SQS unreachable: ${error.message}`);
      });
      forward.end(body);
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
  } catch (error) {
    await fauxqs.stop();
    throw error;
  }
  return {
    fauxqs,
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    traceHeaders,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fauxqs.stop();
    },
  };
};
