import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from "aws-lambda";
import { lambdaContext } from "../../local-stack/event-source";

/** A Lambda Function URL handler as middy builds it. */
export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Function URL event (payload format 2.0) as Lambda builds it: lower-case header names, and a
 * body that Lambda base64-encodes unless the content type is textual (here: when asked).
 */
export const functionUrlEvent = (
  body: string | Buffer,
  headers: Record<string, string> = {},
  options: { base64?: boolean; method?: string } = {},
): LambdaFunctionURLEvent => {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const method = options.method ?? "POST";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/",
    rawQueryString: "",
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    isBase64Encoded: Boolean(options.base64),
    body: options.base64 ? bytes.toString("base64") : bytes.toString("utf8"),
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      domainName: "local.lambda-url.us-east-1.on.aws",
      domainPrefix: "local",
      http: { method, path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
};

/**
 * A 127.0.0.1 HTTP server standing in for a Lambda Function URL: each request becomes a Function
 * URL event and the handler's result becomes the response. Lambda passes a JSON body as text; a
 * request with `x-test-base64: 1` gets its body base64-encoded, as Lambda does for binary types.
 */
export const startFunctionUrlAdapter = async (handler: FunctionUrlHandler): Promise<{ url: string; requests: number; close(): Promise<void> }> => {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      state.requests++;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value ?? "")]));
      const event = functionUrlEvent(Buffer.concat(chunks), headers, { method: req.method ?? "POST", base64: headers["x-test-base64"] === "1" });
      handler(event, lambdaContext(10_000, "webhook-ingress"))
        .then((result) => {
          res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
          res.end(result.body ?? "");
        })
        .catch(() => {
          // Lambda answers 502 when the function itself fails.
          res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
