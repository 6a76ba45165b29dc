import { describe, expect, it } from "vitest";
import { HttpError } from "../shared/http";
import { AkeneoAuthError, AkeneoRequestError } from "../shared/integrations/akeneo";
import { runListing } from "../shared/sync";

/**
 * Regression (found by the outage run's rotation phase): when a later page of a listing failed
 * (Akeneo refusing the old password mid-rotation), the whole window message failed and its retry
 * fanned out the pages already sent again. Those copies ran at the same time as the originals, so
 * both page writes missed each other's rows and Oro got duplicate unit precision rows (750 in a
 * 2,000-product run). The listing now hands over to a continuation at the failed page.
 */
const pages = (failAt: number, error: Error) => async (href: string) => {
  const n = Number(href.split("=")[1]);
  if (n === failAt) throw error;
  return { items: [n], next: n < 5 ? `p=${n + 1}` : undefined };
};

const run = (failAt: number, error: Error) => {
  const emitted: string[] = [];
  const handedOver: string[] = [];
  const result = runListing({
    start: "p=0",
    fetchPage: pages(failAt, error),
    emit: async (_, href) => void emitted.push(href),
    handOver: async (href) => void handedOver.push(href),
    remainingTimeMs: () => 60_000,
  });
  return { result, emitted, handedOver };
};

describe("runListing: a later page failing", () => {
  it("hands over at the failed page on a transient error, so a retry never fans out the earlier pages again", async () => {
    for (const error of [
      new AkeneoAuthError("Akeneo refused the credentials"),
      new HttpError({ method: "GET", url: "http://akeneo/p", status: 503, attempts: 4 } as never),
    ]) {
      const r = run(3, error);
      await expect(r.result).resolves.toEqual({ pages: 3, items: 3, handedOver: true });
      expect(r.emitted).toEqual(["p=0", "p=1", "p=2"]);
      expect(r.handedOver).toEqual(["p=3"]);
    }
  });

  it("still fails on a permanent error, and when the first page fails (nothing fanned out yet)", async () => {
    await expect(run(3, new AkeneoRequestError("bad search")).result).rejects.toBeInstanceOf(AkeneoRequestError);
    const first = run(0, new AkeneoAuthError("Akeneo refused the credentials"));
    await expect(first.result).rejects.toBeInstanceOf(AkeneoAuthError);
    expect(first.emitted).toEqual([]);
    expect(first.handedOver).toEqual([]);
  });
});
