import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { StateAttribute } from "../shared/state";

/** A local DynamoDB (dynalite, in memory) on 127.0.0.1, for the state table. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_DYNAMODB`. */
  url: string;
  client: DynamoDBClient;
  /** Creates a table with the state table's key schema (infra/constructs/state-table.ts). */
  createStateTable(name: string): Promise<string>;
  /** Requests received so far, by DynamoDB operation (`PutItem`, `UpdateItem`, ...): what a run costs. */
  requests(): Record<string, number>;
  stop(): Promise<void>;
}

const DUMMY_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Starts dynalite (a DynamoDB implementation on LevelDB, here in memory) for tests and the local
 * stack. It speaks DynamoDB's JSON protocol to the real SDK client; it has no TTL deletion, which
 * the state table does not rely on (shared/state: expiry is checked by the conditions).
 */
export const startLocalDynamoDb = async (options: { port?: number } = {}): Promise<LocalDynamoDb> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The operation is the X-Amz-Target header, `DynamoDB_20120810.<Operation>`.
  const requests: Record<string, number> = {};
  server.on("request", (req: { headers: Record<string, string | string[] | undefined> }) => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.indexOf(".") + 1) || "(none)";
    requests[operation] = (requests[operation] ?? 0) + 1;
  });
  const client = new DynamoDBClient({ endpoint: url, region: "us-east-1", credentials: DUMMY_CREDENTIALS });
  return {
    url,
    client,
    async createStateTable(name) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: StateAttribute.pk, AttributeType: "S" },
            { AttributeName: StateAttribute.sk, AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: StateAttribute.pk, KeyType: "HASH" },
            { AttributeName: StateAttribute.sk, KeyType: "RANGE" },
          ],
        }),
      );
      return name;
    },
    requests: () => ({ ...requests }),
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
