import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadDynamoDbSdk } from "../aws";

/**
 * The stack's "state" table (infra/constructs/state-table.ts): small records that must outlive a
 * Lambda container, kept in one DynamoDB table with a key scheme so later uses (a run ledger)
 * share it. Every item has:
 *
 * | attribute | holds |
 * |---|---|
 * | `pk` (S, partition key) | `<kind>#<id>`, e.g. `webhook#<Oro messageId>`; IAM grants are scoped by this prefix |
 * | `sk` (S, sort key) | what within it, e.g. `topic#order.created` |
 * | `expiresAt` (N) | epoch seconds after which the item means nothing (the table's TTL attribute) |
 *
 * DynamoDB's TTL deletes expired items only eventually (typically within days), so every read and
 * condition here treats `expiresAt` itself as the truth (docs/reference/security.md §3).
 */
export const StateAttribute = { pk: "pk", sk: "sk", expiresAt: "expiresAt", status: "status" } as const;

/** Key of one state item. */
export interface StateKey {
  pk: string;
  sk: string;
}

/** How {@link StateTable.claim} ended. */
export type ClaimResult = "claimed" | "done" | "pending";

export interface StateTableOptions {
  tableName: string;
  client: () => Promise<DynamoDBClient>;
  /** Clock in ms, for tests. */
  now?: () => number;
}

const key = (k: StateKey) => ({ [StateAttribute.pk]: { S: k.pk }, [StateAttribute.sk]: { S: k.sk } });

/** A claim-once record set in the state table (a conditional write, never a read-then-write). */
export class StateTable {
  private readonly now: () => number;

  constructor(private readonly options: StateTableOptions) {
    this.now = options.now ?? Date.now;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Claims `k` for `pendingSeconds`: `claimed` when no live item had it (this caller owns it now),
   * else the live item's status (`done`: handled before; `pending`: another caller is on it, or
   * crashed and its claim runs out after `pendingSeconds`).
   */
  async claim(k: StateKey, pendingSeconds: number): Promise<ClaimResult> {
    const { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } = await loadDynamoDbSdk();
    const client = await this.options.client();
    const now = this.seconds();
    try {
      await client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: { ...key(k), [StateAttribute.status]: { S: "pending" }, [StateAttribute.expiresAt]: { N: String(now + pendingSeconds) } },
          // An expired item counts as absent: TTL deletion lags behind.
          ConditionExpression: "attribute_not_exists(#pk) OR #exp < :now",
          ExpressionAttributeNames: { "#pk": StateAttribute.pk, "#exp": StateAttribute.expiresAt },
          ExpressionAttributeValues: { ":now": { N: String(now) } },
        }),
      );
      return "claimed";
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
    const existing = await client.send(new GetItemCommand({ TableName: this.options.tableName, Key: key(k), ConsistentRead: true }));
    return existing.Item?.[StateAttribute.status]?.S === "done" ? "done" : "pending";
  }

  /** Marks a claim done; it stays for `keepSeconds` (the replay window). */
  async complete(k: StateKey, keepSeconds: number): Promise<void> {
    const { PutItemCommand } = await loadDynamoDbSdk();
    await (
      await this.options.client()
    ).send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: { ...key(k), [StateAttribute.status]: { S: "done" }, [StateAttribute.expiresAt]: { N: String(this.seconds() + keepSeconds) } },
      }),
    );
  }

  /** Gives a claim up (the work failed; the next attempt must be able to claim it). */
  async release(k: StateKey): Promise<void> {
    const { DeleteItemCommand } = await loadDynamoDbSdk();
    await (await this.options.client()).send(new DeleteItemCommand({ TableName: this.options.tableName, Key: key(k) }));
  }
}
