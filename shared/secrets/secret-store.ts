import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadSecretsManagerSdk } from "../aws";
import * as z from "zod/mini";
import { ConfigurationError, TransientError } from "../errors";
import { defaultRedactor, type SecretRedactor } from "../observability";

/** Default time a loaded secret is reused before it is fetched again. */
export const DEFAULT_SECRETS_TTL_MS = 5 * 60_000;
/** A forced refresh within this time of the last forced load reuses it: a burst of 401s reloads once. */
export const DEFAULT_MIN_REFRESH_INTERVAL_MS = 2_000;

export interface SecretStoreOptions {
  /** The Secrets Manager client (e.g. `() => aws.secretsManager()` of the container's `AwsClients`). */
  client: () => Promise<SecretsManagerClient>;
  /** How long a loaded secret is reused. @default 300000 (5 min; env SECRETS_TTL_SECONDS) */
  ttlMs?: number;
  /** Forced refreshes closer than this to the last load reuse it. @default 2000 */
  minRefreshIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where loaded values are registered for redaction. @default the process's `defaultRedactor` */
  redactor?: SecretRedactor;
}

interface Entry {
  value: unknown;
  loadedAt: number;
  /** Loaded by a forced refresh: later forced refreshes within the interval reuse it. */
  forced: boolean;
  /** Validated forms per schema, so a warm record does not re-validate the secret. */
  parsed: Map<unknown, unknown>;
}

/**
 * Loads JSON secrets by name, validates them with a zod schema, caches them with a TTL and
 * coalesces concurrent loads into one call. `forceRefresh` reloads (after an auth failure, the
 * secret may have been rotated); forced refreshes that arrive together, or within
 * `minRefreshIntervalMs` of the last forced load, share one call.
 * Errors name the secret and the invalid fields, never the value.
 */
export class SecretStore {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Number of GetSecretValue calls made, for tests and benchmarks. */
  fetches = 0;

  constructor(private readonly options: SecretStoreOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SECRETS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  async get<T>(name: string, schema: z.ZodMiniType<T>, options: { forceRefresh?: boolean } = {}): Promise<T> {
    const cached = this.cache.get(name);
    const age = cached ? this.now() - cached.loadedAt : Infinity;
    const fresh = options.forceRefresh
      ? Boolean(cached?.forced) && age < (this.options.minRefreshIntervalMs ?? DEFAULT_MIN_REFRESH_INTERVAL_MS)
      : age < this.ttlMs;
    if (cached && fresh) return this.validated(name, schema, cached);
    let pending = this.inFlight.get(name);
    if (!pending) {
      pending = this.fetch(name, Boolean(options.forceRefresh)).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, pending);
    }
    await pending;
    return this.validated(name, schema, this.cache.get(name) as Entry);
  }

  private validated<T>(name: string, schema: z.ZodMiniType<T>, entry: Entry): T {
    if (entry.parsed.has(schema)) return entry.parsed.get(schema) as T;
    const value = this.validate(name, schema, entry.value);
    entry.parsed.set(schema, value);
    return value;
  }

  /** Drops a cached secret so the next `get` fetches it. */
  invalidate(name: string): void {
    this.cache.delete(name);
  }

  private async fetch(name: string, forced: boolean): Promise<unknown> {
    this.fetches++;
    let secretString: string | undefined;
    try {
      const { GetSecretValueCommand } = await loadSecretsManagerSdk();
      const result = await (await this.options.client()).send(new GetSecretValueCommand({ SecretId: name }));
      secretString = result.SecretString ?? (result.SecretBinary ? Buffer.from(result.SecretBinary).toString("utf8") : undefined);
    } catch (error) {
      const type = (error as { name?: string }).name ?? "Error";
      if (type === "ResourceNotFoundException") {
        throw new ConfigurationError(`secret "${name}" does not exist: create it in Secrets Manager (see docs/deploy.md)`, { cause: error });
      }
      if (type === "AccessDeniedException") {
        throw new ConfigurationError(`not allowed to read secret "${name}": grant secretsmanager:GetSecretValue on it to this function's role`, {
          cause: error,
        });
      }
      throw new TransientError(`could not load secret "${name}": ${type}`, { cause: error, code: "SECRETS_UNAVAILABLE", alertType: "connection" });
    }
    if (secretString === undefined) throw new ConfigurationError(`secret "${name}" has no value: store a JSON object in it`);
    let value: unknown;
    try {
      value = JSON.parse(secretString);
    } catch {
      throw new ConfigurationError(`secret "${name}" is not valid JSON: store a JSON object in it`);
    }
    (this.options.redactor ?? defaultRedactor).registerSecretValues(value);
    this.cache.set(name, { value, loadedAt: this.now(), forced, parsed: new Map() });
    return value;
  }

  private validate<T>(name: string, schema: z.ZodMiniType<T>, value: unknown): T {
    const result = z.safeParse(schema, value);
    if (result.success) return result.data;
    // Paths and messages only: zod's messages name expected types, never the secret's values.
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new ConfigurationError(`secret "${name}" has the wrong shape: ${problems}`);
  }
}
