import { randomBytes, randomUUID } from "node:crypto";

/** An issued access token. */
interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

const base64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");

/**
 * Access tokens of the sandbox: JWT-shaped strings (header `typ: JWT`, `alg: RS256`, payload `aud` =
 * client id, as ClientCredentialsOAuthServerTest asserts) looked up in memory. Not really signed:
 * clients must treat them as opaque, as they should with Oro's.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  /** Every token issued, also after expiry or revocation (test control: the proofs' secret scan). */
  private readonly everIssued: string[] = [];

  /** @param ttlSeconds - lifetime; Oro's `access_token_lifetime` default is 3600 s. */
  constructor(public ttlSeconds = 3600) {}

  issue(clientId: string): { accessToken: string; expiresIn: number } {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url({ typ: "JWT", alg: "RS256" });
    const payload = base64url({ aud: clientId, jti: randomUUID(), iat: now, nbf: now, exp: now + this.ttlSeconds, sub: "1", scopes: [] });
    const accessToken = `${header}.${payload}.${base64url(randomBytes(32))}`;
    this.tokens.set(accessToken, { clientId, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    this.everIssued.push(accessToken);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** Every access token issued since start (test control, not an Oro feature). */
  issued(): readonly string[] {
    return this.everIssued;
  }

  /** Whether `token` was issued here, is not revoked and has not expired. */
  isValid(token: string): boolean {
    const issued = this.tokens.get(token);
    if (!issued) return false;
    if (issued.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Forced expiry: every token issued so far stops working (clients must fetch a new one). */
  revokeAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  get activeCount(): number {
    return this.tokens.size;
  }
}
