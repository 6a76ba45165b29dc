import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Largest request body a sandbox accepts (a 10,000-item batch of products fits comfortably). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The request body exceeded the limit; the caller answers 413. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/** Reads the whole request body as a UTF-8 string. */
export async function readBody(req: IncomingMessage, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(`Request body exceeds ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends `body` (already serialized, or an object to JSON-encode) with a status and headers. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | object | null,
  headers: Record<string, string | number> = {},
  contentType = "application/json",
): void {
  const text = body === null ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const all: Record<string, string | number> = { ...headers };
  if (text.length > 0 && all["Content-Type"] === undefined) all["Content-Type"] = contentType;
  all["Content-Length"] = Buffer.byteLength(text);
  res.writeHead(status, all);
  res.end(text);
}

/** Sends a JSON value with `Content-Type: application/json`. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  send(res, status, JSON.stringify(body), headers);
}

/**
 * Makes `res.end(body)` flush the headers and the first half of the body at once and the rest after
 * `delayMs`, so clients see a slow body rather than a slow first byte.
 */
export function makeBodySlow(res: ServerResponse, delayMs: number): void {
  const originalEnd = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
    const half = Math.floor(buffer.length / 2);
    if (!res.headersSent) res.flushHeaders();
    if (half > 0) res.write(buffer.subarray(0, half));
    setTimeout(() => originalEnd(buffer.subarray(half)), delayMs);
    return res;
  }) as ServerResponse["end"];
}

/** A running HTTP server bound to 127.0.0.1. */
export interface ListeningServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Closes the server and destroys open keep-alive sockets, so `stop()` never hangs. */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1 (never on other interfaces).
 *
 * @param handler - request handler; errors it throws answer 500.
 * @param port - 0 (default) for an ephemeral port.
 */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void, port = 0): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ status: "500", title: "internal server error", detail: String(error) }] });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
