import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the test server saw, for assertions on the wire. */
export interface WireLog {
  requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string; socket: number }>;
  /** Sockets accepted so far. */
  sockets: number;
  /** Highest number of requests being handled at the same time. */
  maxInFlight: number;
}

export type TestHandler = (req: IncomingMessage & { body: string }, res: ServerResponse, n: number) => unknown;

/** A node:http server on 127.0.0.1, ephemeral port, that records every request. */
export const startTestServer = async (handler: TestHandler): Promise<{ url: string; log: WireLog; close: () => Promise<void> }> => {
  const log: WireLog = { requests: [], sockets: 0, maxInFlight: 0 };
  let inFlight = 0;
  const socketIds = new WeakMap<object, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const n = log.requests.length;
      log.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, socket: socketIds.get(req.socket) ?? -1 });
      inFlight += 1;
      log.maxInFlight = Math.max(log.maxInFlight, inFlight);
      res.on("close", () => {
        inFlight -= 1;
      });
      Promise.resolve()
        .then(() => handler(Object.assign(req, { body }), res, n))
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
    });
  });
  server.on("connection", (socket) => {
    log.sockets += 1;
    socketIds.set(socket, log.sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every string reachable from an error: message, stack, fields, details and causes. */
export const everythingIn = (error: unknown, seen = new Set<unknown>()): string => {
  if (error === null || error === undefined || seen.has(error)) return "";
  seen.add(error);
  if (typeof error !== "object") return String(error);
  const parts: string[] = [];
  if (error instanceof Error) parts.push(error.message, error.stack ?? "");
  for (const key of Object.getOwnPropertyNames(error)) {
    parts.push(key, everythingIn((error as Record<string, unknown>)[key], seen));
  }
  return parts.join("\n");
};
