/**
 * A recording pass-through in front of a sandbox: every request is forwarded byte for byte to the
 * sandbox (so every answer is the strict double's, not ours) and recorded with what the sandbox
 * answered, so a test can assert the exact method, path, query, headers and body the client sent.
 * Listens on 127.0.0.1, ephemeral port. Two test controls, both off unless asked:
 * - `addHeaders`: headers added to forwarded API requests (e.g. `X-Include: noHateoas`, which Oro
 *   itself honours: responses without `links`);
 * - `hang`: requests it matches are never answered (until `close`), so only a client timeout ends them;
 * - `answer`: requests it answers are not forwarded, as a proxy in front of Oro may answer itself
 *   (an HTML error page, a 200 that is not JSON:API): states Oro itself never produces.
 */
import { createServer, request as httpRequest } from "node:http";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedCall {
  method: string;
  /** Path and query as sent, e.g. `/admin/api/products?page[size]=1`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the sandbox answered (0 for a hung request). */
  status: number;
  /** Index (1-based) of the client socket the request came on. */
  socket: number;
}

export interface WireRecorder {
  url: string;
  calls: RecordedCall[];
  /** The calls under the API prefix (not the token endpoint). */
  apiCalls: () => RecordedCall[];
  /** Client sockets accepted so far. */
  sockets: () => number;
  close: () => Promise<void>;
}

export interface WireRecorderOptions {
  addHeaders?: Record<string, string>;
  hang?: (call: { method: string; url: string }) => boolean;
  answer?: (call: { method: string; url: string; headers: IncomingHttpHeaders; body: string }) => ProxyAnswer | undefined;
}

/** What the pass-through answers itself instead of forwarding. */
export interface ProxyAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export const startWireRecorder = async (target: string, options: WireRecorderOptions = {}): Promise<WireRecorder> => {
  const calls: RecordedCall[] = [];
  const hung: ServerResponse[] = [];
  const open = new Set<Socket>();
  const socketIds = new WeakMap<Socket, number>();
  let sockets = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const call: RecordedCall = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: body.toString("utf8"),
        status: 0,
        socket: socketIds.get(req.socket) ?? -1,
      };
      calls.push(call);
      if (options.hang?.(call)) {
        hung.push(res);
        return;
      }
      const own = options.answer?.(call);
      if (own) {
        call.status = own.status;
        res.writeHead(own.status, own.headers ?? {}).end(own.body ?? "");
        return;
      }
      const headers = { ...req.headers, ...(call.url.startsWith("/admin/api") ? options.addHeaders : {}) };
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: call.method, path: call.url, headers, agent: false }, (answer) => {
        call.status = answer.statusCode ?? 0;
        res.writeHead(call.status, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", (error) => res.destroy(error));
      forward.end(body);
    });
  });
  server.on("connection", (socket) => {
    sockets += 1;
    socketIds.set(socket, sockets);
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    apiCalls: () => calls.filter((c) => c.url.startsWith("/admin/api")),
    sockets: () => sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
