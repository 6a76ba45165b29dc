import { randomBytes } from "node:crypto";
import { identifierOf } from "./catalog";
import type { AkeneoProduct } from "./catalog";

/** The sandbox's catalog, kept sorted by uuid (the search_after order). */
export class Catalog {
  private readonly byUuid = new Map<string, AkeneoProduct>();
  private sorted: string[] | undefined;

  get size(): number {
    return this.byUuid.size;
  }

  clear(): void {
    this.byUuid.clear();
    this.sorted = undefined;
  }

  put(product: AkeneoProduct): void {
    if (!this.byUuid.has(product.uuid)) this.sorted = undefined;
    this.byUuid.set(product.uuid, product);
  }

  get(uuid: string): AkeneoProduct | undefined {
    return this.byUuid.get(uuid);
  }

  /** The product whose `sku` value is `identifier` (test control: Akeneo looks products up by uuid). */
  byIdentifier(identifier: string): AkeneoProduct | undefined {
    for (const product of this.byUuid.values()) if (identifierOf(product) === identifier) return product;
    return undefined;
  }

  all(): AkeneoProduct[] {
    return this.uuids().map((uuid) => this.byUuid.get(uuid) as AkeneoProduct);
  }

  /** Up to `limit` products after `after` (exclusive) matching `accept`, plus whether more match. */
  page(cursor: string | undefined, limit: number, accept: (p: AkeneoProduct) => boolean): { items: AkeneoProduct[]; more: boolean } {
    const uuids = this.uuids();
    // Akeneo's search_after cursor is case-insensitive (SuccessListProductsWithUuidEndToEnd).
    const after = cursor?.toLowerCase();
    let lo = 0;
    if (after !== undefined) {
      let hi = uuids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((uuids[mid] as string) <= after) lo = mid + 1;
        else hi = mid;
      }
    }
    const items: AkeneoProduct[] = [];
    for (let i = lo; i < uuids.length; i += 1) {
      const product = this.byUuid.get(uuids[i] as string) as AkeneoProduct;
      if (!accept(product)) continue;
      if (items.length === limit) return { items, more: true };
      items.push(product);
    }
    return { items, more: false };
  }

  private uuids(): string[] {
    this.sorted ??= [...this.byUuid.keys()].sort();
    return this.sorted;
  }
}

interface Issued {
  expiresAt: number;
  username: string;
  clientId: string;
}

/** Access and refresh tokens of the OAuth2 password grant. */
export class AkeneoTokens {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Issued>();
  /** Token requests by grant type, for tests. */
  readonly grants: Record<string, number> = {};
  /** Every access and refresh token issued since start (test control: the proofs' secret scan). */
  private readonly everIssued: string[] = [];

  constructor(
    public ttlSeconds: number,
    public refreshTtlSeconds = 14 * 86_400,
  ) {}

  /** A token pair, in oauth2-php's response shape and key order (authentication.md example). */
  issue(
    clientId: string,
    username: string,
    grant: string,
  ): { access_token: string; expires_in: number; token_type: "bearer"; scope: null; refresh_token: string } {
    this.grants[grant] = (this.grants[grant] ?? 0) + 1;
    const accessToken = randomBytes(32).toString("base64url");
    const refreshToken = randomBytes(32).toString("base64url");
    this.access.set(accessToken, { clientId, username, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    this.refresh.set(refreshToken, { clientId, username, expiresAt: Date.now() + this.refreshTtlSeconds * 1000 });
    this.everIssued.push(accessToken, refreshToken);
    return { access_token: accessToken, expires_in: this.ttlSeconds, token_type: "bearer", scope: null, refresh_token: refreshToken };
  }

  /** Every access and refresh token issued since start (test control, not an Akeneo feature). */
  issued(): readonly string[] {
    return this.everIssued;
  }

  /** `ok`, `expired` or `invalid`. */
  check(token: string): "ok" | "expired" | "invalid" {
    const issued = this.access.get(token);
    if (!issued) return "invalid";
    return issued.expiresAt > Date.now() ? "ok" : "expired";
  }

  /**
   * Consumes a refresh token issued to `clientId` (oauth2-php: another client's token is invalid;
   * the old refresh token is deleted when the new pair is issued, so it is single use); the user
   * it was issued to, or undefined.
   */
  useRefresh(token: string, clientId: string): string | undefined {
    const issued = this.refresh.get(token);
    if (!issued || issued.clientId !== clientId || issued.expiresAt <= Date.now()) return undefined;
    this.refresh.delete(token);
    return issued.username;
  }

  resetGrants(): void {
    for (const key of Object.keys(this.grants)) delete this.grants[key];
  }

  /** Forced expiry of every access token (refresh tokens stay valid). */
  expireAccess(): number {
    const n = this.access.size;
    for (const issued of this.access.values()) issued.expiresAt = 0;
    return n;
  }

  /** Revokes refresh tokens too (the client must fall back to the password grant). */
  revokeAll(): number {
    const n = this.access.size + this.refresh.size;
    this.access.clear();
    this.refresh.clear();
    return n;
  }
}
