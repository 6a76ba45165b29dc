import { loadDynamoDbSdk } from "../aws";
import { StateAttribute, type StateKey, type StateTableOptions } from "./state-table";

/**
 * Attributes of a lease item, beside the state table's `pk`/`sk`/`expiresAt`
 * (shared/state/state-table.ts). One item per guarded thing, kept between leases so its
 * `generation` survives.
 */
export const LeaseAttribute = {
  /** Who holds the lease now (absent: free). */
  owner: "leaseOwner",
  /** Epoch ms until which the holder may work; after it the lease counts as free (a holder that crashed). */
  until: "leasedUntil",
  /** Names the current epoch of the guarded thing; the holder may start a new one on release. */
  generation: "generation",
} as const;

/** What a holder learns when it takes a lease. */
export interface Lease {
  /** The guarded thing's current generation (made on the first lease ever). */
  generation: string;
}

export interface AcquireOptions {
  /** This holder's id (a fresh one per attempt). */
  owner: string;
  /** Epoch ms after which the lease is free again even if never released. */
  until: number;
  /** The generation to store when the item has none yet. */
  firstGeneration: string;
  /** Seconds the item is kept after this lease (the table's TTL). */
  keepSeconds: number;
}

export interface ReleaseOptions {
  owner: string;
  keepSeconds: number;
  /** Starts a new generation (e.g. the alert was resolved: the next failure is a new alert). */
  newGeneration?: string;
}

const isConditionFailed = (error: unknown) => (error as Error | undefined)?.name === "ConditionalCheckFailedException";

/**
 * Leases on state items: one holder at a time per key, by a conditional write (never a
 * read-then-write), until the holder releases it or the lease runs out. Each acquire and each
 * release is one `UpdateItem` (docs/reference/aws.md §7).
 */
export class StateLeases {
  private readonly now: () => number;

  constructor(private readonly options: StateTableOptions) {
    this.now = options.now ?? Date.now;
  }

  private key(k: StateKey) {
    return { [StateAttribute.pk]: { S: k.pk }, [StateAttribute.sk]: { S: k.sk } };
  }

  /** Takes the lease on `k`, or `undefined` when another holder's lease is live. */
  async acquire(k: StateKey, options: AcquireOptions): Promise<Lease | undefined> {
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const now = this.now();
    try {
      const result = await (
        await this.options.client()
      ).send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: this.key(k),
          UpdateExpression: "SET #owner = :owner, #until = :until, #exp = :exp, #gen = if_not_exists(#gen, :gen)",
          // Free: never leased, released, or the holder's lease ran out.
          ConditionExpression: "attribute_not_exists(#until) OR #until < :now",
          ExpressionAttributeNames: {
            "#owner": LeaseAttribute.owner,
            "#until": LeaseAttribute.until,
            "#exp": StateAttribute.expiresAt,
            "#gen": LeaseAttribute.generation,
          },
          ExpressionAttributeValues: {
            ":owner": { S: options.owner },
            ":until": { N: String(options.until) },
            ":now": { N: String(now) },
            ":exp": { N: String(Math.floor(now / 1000) + options.keepSeconds) },
            ":gen": { S: options.firstGeneration },
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { generation: result.Attributes?.[LeaseAttribute.generation]?.S ?? options.firstGeneration };
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Gives the lease up (only if `owner` still holds it: a holder whose lease ran out must not free
   * the next holder's). Returns false when it no longer held it.
   */
  async release(k: StateKey, options: ReleaseOptions): Promise<boolean> {
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const names: Record<string, string> = { "#owner": LeaseAttribute.owner, "#until": LeaseAttribute.until, "#exp": StateAttribute.expiresAt };
    const values: Record<string, { S: string } | { N: string }> = {
      ":owner": { S: options.owner },
      ":exp": { N: String(Math.floor(this.now() / 1000) + options.keepSeconds) },
    };
    let set = "#exp = :exp";
    if (options.newGeneration !== undefined) {
      names["#gen"] = LeaseAttribute.generation;
      values[":gen"] = { S: options.newGeneration };
      set += ", #gen = :gen";
    }
    try {
      await (
        await this.options.client()
      ).send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: this.key(k),
          UpdateExpression: `REMOVE #owner, #until SET ${set}`,
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
