import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "../common/random";

/** What the lossy receiver did with each delivery. */
export interface LossyWebhookStats {
  forwarded: number;
  /** Answered 500 without forwarding: Oro never retries a 500 for a webhook POST. */
  answered500: number;
  /** Held without an answer until Oro's client gave up (timeout): never retried either. */
  heldUntilTimeout: number;
  /**
   * Forwarded, but Oro's client had given up before the ingress answered (a loaded machine): Oro
   * logs a timeout, though the ingress got the event. Counted so the timeouts in Oro's log add up.
   */
  forwardedTooLate: number;
}

export interface LossyWebhookProxy {
  url: string;
  stats: LossyWebhookStats;
  close(): Promise<void>;
}

/** Hop-by-hop and length headers the proxy must not copy. */
const SKIP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/**
 * A stand-in for a receiver that loses some webhooks the way Oro loses them (docs/reference/oro-webhooks.md §2):
 * for a share `rate` of the deliveries it answers 500 (half of them) or holds the request without
 * answering until Oro's HTTP client times out (the other half); the rest it forwards unchanged to
 * the ingress and relays the answer. Oro retries neither, so those events are lost unless the
 * connector's reconciliation finds the orders. Listens on 127.0.0.1 only; seeded, so a seed gives
 * the same losses for the same order of deliveries.
 */
export const startLossyWebhookProxy = async (target: string, rate: number, random: Random): Promise<LossyWebhookProxy> => {
  const stats: LossyWebhookStats = { forwarded: 0, answered500: 0, heldUntilTimeout: 0, forwardedTooLate: 0 };
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const draw = random.next();
      if (draw < rate / 2) {
        stats.answered500++;
        res.writeHead(500, { "Content-Type": "text/plain" }).end("receiver failed");
        return;
      }
      if (draw < rate) {
        stats.heldUntilTimeout++;
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      stats.forwarded++;
      res.on("close", () => {
        if (!res.writableEnded) stats.forwardedTooLate++;
      });
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => !SKIP.has(k) && typeof v === "string") as Array<[string, string]>);
      const answer = await fetch(target, { method: req.method ?? "POST", headers, body, redirect: "manual" });
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" }).end(text);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
