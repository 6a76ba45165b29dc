import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AkeneoClient, type AkeneoProduct } from "../shared/integrations/akeneo";
import type { AkeneoProduct as SandboxProduct } from "../sandboxes/akeneo";
import type { Ref, StoredRecord } from "../sandboxes/oro";
import { type Harness, startHarness } from "./akeneo-harness";
import { startTestServer } from "./helpers/http-test-server";

/**
 * Akeneo's own reference examples, fed unchanged (test/fixtures/akeneo/README.md names the
 * source): the client reads the example list response as Akeneo serves it, and the products
 * sync lands the example products in Oro, SKU read from `values.sku`.
 */
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/akeneo/${name}`, import.meta.url), "utf8")) as T;
interface ListResponse {
  _links: { next: { href: string } };
  _embedded: { items: Array<AkeneoProduct & { _links?: unknown }> };
}
const referenceList = fixture<ListResponse>("products-uuid-list.example.json");

describe("Akeneo reference examples: the client", () => {
  it("reads the example list response unchanged and follows its next link on the configured origin", async () => {
    // The token answer of pim-api-docs content/rest-api/authentication.md, with its headers.
    const token = {
      access_token: "NzFiYTM4ZTEwMjcwZTcyZWIzZTA0NmY3NjE3MTIyMjM1Y2NlMmNlNWEyMTAzY2UzYmY0YWIxYmUzNTkyMDcyNQ",
      expires_in: 3600,
      token_type: "bearer",
      scope: null,
      refresh_token: "MDk2ZmIwODBkYmE3YjNjZWQ4ZTk2NTk2N2JmNjkyZDQ4NzA3YzhiZDQzMjJjODI5MmQ4ZmYxZjlkZmU1ZDNkMQ",
    };
    const server = await startTestServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/oauth/v1/token") {
        res.setHeader("cache-control", "no-store");
        return res.end(JSON.stringify(token));
      }
      res.end(JSON.stringify(referenceList));
    });
    try {
      const client = new AkeneoClient(async () => ({ baseUrl: server.url, clientId: "client", secret: "secret", username: "user", password: "password" }));

      const first = await client.page("/api/rest/v1/products-uuid?page=3&limit=3");
      await client.page(first.next as string);

      expect(first.items.map((p) => p.uuid)).toEqual([
        "25566245-55c3-42ce-86d9-8610ac459fa8",
        "fc24e6c3-933c-4a93-8a81-e5c703d134d5",
        "fa0b115e-46ec-4527-beab-7207452f1b47",
      ]);
      expect(first.next).toBe(
        "https://demo.akeneo.com/api/rest/v1/products-uuid?page=4&limit=3&with_quality_scores=true&with_completenesses=true&with_attribute_options=true",
      );
      // The link's path and query, on the configured origin: the token never goes to demo.akeneo.com.
      expect(server.log.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        "POST /api/oauth/v1/token",
        "GET /api/rest/v1/products-uuid?page=3&limit=3",
        "GET /api/rest/v1/products-uuid?page=4&limit=3&with_quality_scores=true&with_completenesses=true&with_attribute_options=true",
      ]);
      expect(server.log.requests[1]?.headers.authorization).toBe(`Bearer ${token.access_token}`);
    } finally {
      await server.close();
    }
  });
});

describe("Akeneo reference examples: the products sync", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ catalog: { count: 0 } });
  });
  afterAll(() => h.stop());

  it("lands the example products by the SKU of values.sku, and skips the one without a family with an alert naming it", async () => {
    await h.oro.admin.seed({
      records: [
        { type: "attributefamilies", attributes: { code: "tshirt" } },
        { type: "attributefamilies", attributes: { code: "caps" } },
      ],
    });
    // The items as Akeneo lists them; only the listing's `_links` are left to the sandbox, which adds its own.
    await h.akeneo.admin.putProducts(referenceList._embedded.items.map(({ _links: _listing, ...product }) => product as unknown as SandboxProduct));

    await h.sendBackfill("2016-06-23T00:00:00Z", "2016-06-26T00:00:00Z");
    await h.drain();

    const products = new Map((await h.products()).map((p) => [String(p.attributes.sku), p]));
    expect([...products.keys()].sort()).toEqual(["cap", "top-xl"]);
    const families = new Map((await h.oro.admin.state<StoredRecord[]>("attributefamilies")).map((f) => [f.id, String(f.attributes.code)]));
    expect(families.get((products.get("top-xl")?.relationships.attributeFamily as Ref).id)).toBe("tshirt");
    expect(families.get((products.get("cap")?.relationships.attributeFamily as Ref).id)).toBe("caps");
    const names = new Map((await h.oro.admin.state<StoredRecord[]>("productnames")).map((n) => [n.id, n.attributes.string]));
    const topNames = (products.get("top-xl")?.relationships.names as Ref[]).map((r) => names.get(r.id));
    expect(topNames).toEqual(["Top XL"]);
    const failures = (await h.alerts()).filter((e) => e.kind === "failure");
    expect(failures.map((f) => [f.externalId, f.code])).toEqual([["sweat", "MAPPING"]]);
    expect(failures[0]?.kind === "failure" && failures[0].message).toMatch(/attributeFamily \(from family\): is required but missing/);
    expect(await h.dlq()).toHaveLength(1);
  });
});
