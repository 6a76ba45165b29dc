/**
 * Oro's JSON:API query strings (shared/oro/query.ts, docs/reference/oro-api.md §3): exact output
 * for each kind of parameter, the empty query, skipped undefined values and unsafe characters.
 */
import { describe, expect, it } from "vitest";
import { buildQuery, formatOroDateTime } from "../shared/oro";

describe("Function: buildQuery", () => {
  it("is empty when nothing is asked", () => {
    expect(buildQuery()).toBe("");
    expect(buildQuery({ filter: {}, fields: {} })).toBe("");
  });

  it("writes plain filters, operator filters, booleans, numbers and dates in Oro's format", () => {
    expect(
      buildQuery({
        filter: {
          resolved: false,
          id: 7,
          createdAt: new Date("2026-01-02T03:04:05.678Z"),
          externalId: { exists: false },
          updatedAt: { gte: "2026-01-01T00:00:00+01:00", lt: new Date("2026-02-01T00:00:00.000Z") },
        },
      }),
    ).toBe(
      "filter[resolved]=false&filter[id]=7&filter[createdAt]=2026-01-02T03%3A04%3A05Z&filter[externalId][exists]=false&filter[updatedAt][gte]=2026-01-01T00%3A00%3A00%2B01%3A00&filter[updatedAt][lt]=2026-02-01T00%3A00%3A00Z",
    );
  });

  it("skips undefined filters and operators", () => {
    expect(buildQuery({ filter: { a: undefined as never, b: { eq: undefined as never, neq: "x" } } })).toBe("filter[b][neq]=x");
  });

  it("takes single strings for sort, fields and include; page size and number alone", () => {
    expect(buildQuery({ sort: "-id", fields: { products: "sku" }, include: "names.localization" })).toBe(
      "sort=-id&fields[products]=sku&include=names.localization",
    );
    expect(buildQuery({ page: { size: 10 } })).toBe("page[size]=10");
    expect(buildQuery({ page: { number: 3 } })).toBe("page[number]=3");
  });

  it("percent-encodes names and values; a lone surrogate becomes U+FFFD instead of throwing", () => {
    expect(buildQuery({ filter: { "a&b": "x y&z=1" } })).toBe("filter[a%26b]=x%20y%26z%3D1");
    expect(buildQuery({ filter: { sku: "A\ud800B" } })).toBe("filter[sku]=A%EF%BF%BDB");
    expect(buildQuery({ filter: { sku: ["S\udc00", 5] } })).toBe("filter[sku]=S%EF%BF%BD%2C5");
  });
});

describe("Function: formatOroDateTime", () => {
  it("drops the milliseconds", () => {
    expect(formatOroDateTime(new Date("2026-12-01T10:11:12.999Z"))).toBe("2026-12-01T10:11:12Z");
  });
});
