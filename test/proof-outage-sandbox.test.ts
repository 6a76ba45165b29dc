import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";

/** The Oro sandbox control the rotation proof uses: an OAuth client's secret replaced while running. */
let oro: OroSandbox;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "rotating-client", clientSecret: "first-secret-0123", seed: false });
});
afterAll(async () => {
  await oro.stop();
});

const token = (secret: string) =>
  fetch(`${oro.url}/oauth2-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: "rotating-client", client_secret: secret }),
  });

describe("Oro sandbox: client secret rotation", () => {
  it("refuses the old secret and accepts the new one once rotated; tokens already issued stay valid", async () => {
    const before = (await (await token("first-secret-0123")).json()) as { access_token: string };
    expect(await oro.admin.setClientSecret("rotating-client", "second-secret-4567")).toEqual({ clientId: "rotating-client" });
    expect((await token("first-secret-0123")).status).toBe(401);
    expect((await token("second-secret-4567")).status).toBe(200);
    expect(oro.tokens.isValid(before.access_token)).toBe(true);
  });

  it("rejects an unknown client or an empty secret", async () => {
    await expect(oro.admin.setClientSecret("nobody", "x-secret")).rejects.toThrow(/400/);
    await expect(oro.admin.setClientSecret("rotating-client", "")).rejects.toThrow(/400/);
  });
});
