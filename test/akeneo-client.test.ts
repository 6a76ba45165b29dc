import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AkeneoAuthError, AkeneoClient, AkeneoRequestError, type AkeneoProduct, type AkeneoSettings } from "../shared/integrations/akeneo";
import { type AkeneoSandbox, identifierOf, startAkeneoSandbox } from "../sandboxes/akeneo";

let akeneo: AkeneoSandbox;
let settings: AkeneoSettings;
const client = (override: Partial<AkeneoSettings> = {}) => new AkeneoClient(async () => ({ ...settings, ...override }));

const listAll = async (c: AkeneoClient, href: string | undefined) => {
  const items: AkeneoProduct[] = [];
  let pages = 0;
  for (let next = href; next !== undefined && pages < 100; pages += 1) {
    const page = await c.page(next);
    items.push(...page.items);
    next = page.next;
  }
  return { items, pages };
};

beforeAll(async () => {
  akeneo = await startAkeneoSandbox({ catalog: { count: 250 } });
  settings = { baseUrl: akeneo.url, ...akeneo.credentials };
});
afterAll(() => akeneo.stop());
beforeEach(async () => {
  await akeneo.admin.reset();
});

describe("Class: AkeneoClient", () => {
  it("lists every product once by following _links.next (search_after, 100 per page)", async () => {
    const c = client();

    const { items, pages } = await listAll(c, c.productsListHref());

    expect(pages).toBe(3);
    expect(new Set(items.map((p) => identifierOf(p))).size).toBe(250);
    expect((await akeneo.admin.grants()).password).toBe(1);
  });

  it("filters on the updated window in Akeneo's date format", async () => {
    await akeneo.admin.touch({ identifiers: ["AK-00003", "AK-00150"], updatedAt: "2024-03-01T12:00:00Z" });
    await akeneo.admin.touch({ identifiers: ["AK-00004"], updatedAt: "2024-03-01T13:00:01Z" });
    const c = client();

    const { items } = await listAll(c, c.productsListHref({ updated: { from: new Date("2024-03-01T11:55:00Z"), to: new Date("2024-03-01T13:00:00Z") } }));

    expect(items.map((p) => identifierOf(p)).sort()).toEqual(["AK-00003", "AK-00150"]);
  });

  it("renews an expired token with the refresh grant, and falls back to the password grant when refresh tokens are revoked", async () => {
    const c = client();
    await c.page(c.productsListHref({ limit: 1 }));
    await akeneo.admin.expireTokens();
    await c.page(c.productsListHref({ limit: 1 }));
    await akeneo.admin.expireTokens({ revokeRefresh: true });
    await c.page(c.productsListHref({ limit: 1 }));

    expect(await akeneo.admin.grants()).toEqual({ password: 2, refresh_token: 1 });
  });

  it("shares one token request among concurrent callers", async () => {
    const c = client();

    await Promise.all(Array.from({ length: 10 }, () => c.page(c.productsListHref({ limit: 1 }))));

    expect((await akeneo.admin.grants()).password).toBe(1);
  });

  it("honours 429 Retry-After and keeps at most 4 calls in flight", async () => {
    const c = client();
    await c.page(c.productsListHref({ limit: 1 }));
    await akeneo.admin.faults({ latencyMs: 20, throttle: { count: 3, retryAfterSeconds: 0.2 } });
    await akeneo.admin.resetStats();

    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => c.page(c.productsListHref({ limit: 5 }))));
    const stats = await akeneo.admin.stats();

    expect(stats.byStatus["200"]).toBe(12);
    expect(stats.maxConcurrencyObserved).toBeLessThanOrEqual(4);
    expect(stats.faults.throttle).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("raises AkeneoAuthError without leaking the password when the credentials are wrong", async () => {
    const c = client({ password: "wrong-password-123" });

    const error = await c.page(c.productsListHref()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AkeneoAuthError);
    expect(String((error as Error).message)).not.toContain("wrong-password-123");
  });

  it("turns a rejected search into a permanent AkeneoRequestError", async () => {
    const error = await client()
      .page("/api/rest/v1/products-uuid?limit=500")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AkeneoRequestError);
    expect((error as Error).message).toMatch(/cannot request more than 100 items/);
  });
});
