import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "alerts", clientSecret: "alerts-secret", seed: false });
  api = sandboxCaller(oro, "alerts", "alerts-secret");
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset({ seed: false });
});

const alert = (id: string | undefined, attributes: Record<string, unknown> = {}) => ({
  data: {
    type: "notificationalerts",
    ...(id === undefined ? {} : { id }),
    attributes: {
      alertType: "sync",
      sourceType: "akeneo",
      resourceType: "products",
      operation: "import",
      step: "write",
      itemId: 42,
      externalId: "SKU-1",
      message: "Oro rejected the product.",
      additionalInfo: { queue: "akeneo-products" },
      ...attributes,
    },
  },
});

describe("Oro sandbox: notificationalerts contract", () => {
  it("creates with a client UUID: 201, Location, resolved false, server-set dates, user/organization", async () => {
    const id = randomUUID();
    const response = await api.post("/notificationalerts", alert(id));
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`${oro.url}/admin/api/notificationalerts/${id}`);
    expect(response.json.data.attributes).toMatchObject({ resolved: false, itemId: 42, additionalInfo: { queue: "akeneo-products" } });
    expect(response.json.data.attributes.createdAt).toMatch(/Z$/);
    expect(response.json.data.relationships.organization.data).toEqual({ type: "organizations", id: "1" });
  });

  it("answers 400 at /data/id without an id and 409 conflict constraint for an existing id", async () => {
    const missing = await api.post("/notificationalerts", alert(undefined));
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].source.pointer).toBe("/data/id");
    const id = randomUUID();
    expect((await api.post("/notificationalerts", alert(id))).status).toBe(201);
    const again = await api.post("/notificationalerts", alert(id));
    expect(again.status).toBe(409);
    expect(again.json.errors[0]).toMatchObject({ title: "conflict constraint", detail: "The entity already exists." });
  });

  it("validates required fields and lengths", async () => {
    const response = await api.post(
      "/notificationalerts",
      alert(randomUUID(), { sourceType: null, resourceType: "", alertType: "x".repeat(21), itemId: "abc" }),
    );
    expect(response.status).toBe(400);
    const pointers = response.json.errors.map((e: { source: { pointer: string } }) => e.source.pointer).sort();
    expect(pointers).toEqual(["/data/attributes/alertType", "/data/attributes/itemId", "/data/attributes/resourceType", "/data/attributes/sourceType"]);
  });

  it("updates message, resolved and additionalInfo only; other attributes answer 400 extra fields constraint (output-only on update)", async () => {
    const id = randomUUID();
    await api.post("/notificationalerts", alert(id));
    const before = oro.store.mustTable("notificationalerts").get(id)?.attributes.updatedAt;
    const ok = await api.patch(`/notificationalerts/${id}`, {
      data: { type: "notificationalerts", id, attributes: { resolved: true, message: "fixed", additionalInfo: null } },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data.attributes).toMatchObject({ resolved: true, message: "fixed", additionalInfo: null, sourceType: "akeneo" });
    expect(typeof before).toBe("string");
    const refused = await api.patch(`/notificationalerts/${id}`, { data: { type: "notificationalerts", id, attributes: { sourceType: "erp" } } });
    expect(refused.status).toBe(400);
    // A form-level error, no pointer (platform 6.1.11 Tests/Functional/RestJsonApi/FieldDirectionTest.php).
    expect(refused.json.errors).toEqual([
      { status: "400", title: "extra fields constraint", detail: 'This form should not contain extra fields: "sourceType".' },
    ]);
    expect(oro.store.mustTable("notificationalerts").get(id)?.attributes.sourceType).toBe("akeneo");
  });

  it("has delete disabled (405 with Allow)", async () => {
    const id = randomUUID();
    await api.post("/notificationalerts", alert(id));
    const response = await api.delete(`/notificationalerts/${id}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("OPTIONS, GET, PATCH");
    expect((await api.delete("/notificationalerts?filter[resolved]=true")).headers.get("allow")).toBe("OPTIONS, GET, POST");
  });

  it("does not dedup on POST and filters by key fields, resolved and updatedAt", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const c = randomUUID();
    await api.post("/notificationalerts", alert(a));
    await api.post("/notificationalerts", alert(b));
    await api.post("/notificationalerts", alert(c, { itemId: 7, externalId: null, step: "read" }));
    await api.patch(`/notificationalerts/${b}`, { data: { type: "notificationalerts", id: b, attributes: { resolved: true } } });
    const open = await api.get(
      "/notificationalerts?filter[sourceType]=akeneo&filter[resourceType]=products&filter[operation]=import&filter[step]=write&filter[itemId]=42&filter[externalId]=SKU-1&filter[resolved]=false",
    );
    expect(open.json.data.map((r: { id: string }) => r.id)).toEqual([a]);
    const zero = await api.get("/notificationalerts?filter[resolved]=0&filter[itemId]=42,7&sort=-createdAt");
    expect(zero.json.data.map((r: { id: string }) => r.id).sort()).toEqual([a, c].sort());
    const year = new Date().getUTCFullYear();
    const recent = await api.get(`/notificationalerts?filter[updatedAt][gte]=${year}-01-01&filter[alertType]=sync`, { "X-Include": "totalCount" });
    expect(recent.headers.get("x-include-total-count")).toBe("3");
    const unknown = await api.get("/notificationalerts?filter[message]=x");
    expect(unknown.status).toBe(400);
  });
});
