import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Secrets Manager endpoint speaking the service's JSON protocol (`POST /`,
 * `X-Amz-Target: secretsmanager.<Operation>`, `application/x-amz-json-1.1`), so the real
 * @aws-sdk/client-secrets-manager works unchanged against it (docs/reference/toolchain.md §3).
 * Implements what the product uses: GetSecretValue (by name or ARN, version stages AWSCURRENT /
 * AWSPREVIOUS), CreateSecret, PutSecretValue, DescribeSecret, ListSecrets. Listens on 127.0.0.1.
 */

interface Version {
  id: string;
  value: string;
  created: number;
  stages: Set<string>;
}

interface Secret {
  name: string;
  arn: string;
  versions: Version[];
  created: number;
}

export interface LocalSecretsManager {
  /** Endpoint URL for `AWS_ENDPOINT_URL_SECRETS_MANAGER` / the client's `endpoint`. */
  url: string;
  /** Creates or rotates a secret (JSON-encodes objects). */
  put(name: string, value: unknown): void;
  /** GetSecretValue calls served, per secret name. */
  reads: Map<string, number>;
  stop(): Promise<void>;
}

const REGION = "us-east-1";
const ACCOUNT = "000000000000";

export const startLocalSecretsManager = async (options: { port?: number; secrets?: Record<string, unknown> } = {}): Promise<LocalSecretsManager> => {
  const secrets = new Map<string, Secret>();
  const reads = new Map<string, number>();

  const find = (id: string): Secret | undefined => secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id);

  const put = (name: string, raw: unknown): Version => {
    const value = typeof raw === "string" ? raw : JSON.stringify(raw);
    let secret = secrets.get(name);
    if (!secret) {
      secret = { name, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`, versions: [], created: Date.now() };
      secrets.set(name, secret);
    }
    // Rotation: the current version becomes AWSPREVIOUS, the old previous loses its stage.
    for (const version of secret.versions) version.stages.delete("AWSPREVIOUS");
    for (const version of secret.versions) {
      if (version.stages.delete("AWSCURRENT")) version.stages.add("AWSPREVIOUS");
    }
    const version: Version = { id: randomUUID(), value, created: Date.now(), stages: new Set(["AWSCURRENT"]) };
    secret.versions.push(version);
    return version;
  };

  for (const [name, value] of Object.entries(options.secrets ?? {})) put(name, value);

  const fail = (res: ServerResponse, type: string, message: string) => {
    res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const ok = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const operation = String(req.headers["x-amz-target"] ?? "").replace(/^secretsmanager\./, "");
    let input: Record<string, unknown>;
    try {
      input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return fail(res, "SerializationException", "request body is not JSON");
    }
    const secretId = String(input.SecretId ?? input.Name ?? "");
    switch (operation) {
      case "GetSecretValue": {
        const secret = find(secretId);
        if (!secret) return fail(res, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        const stage = String(input.VersionStage ?? "AWSCURRENT");
        const version = input.VersionId ? secret.versions.find((v) => v.id === input.VersionId) : secret.versions.find((v) => v.stages.has(stage));
        if (!version) return fail(res, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: " + stage);
        reads.set(secret.name, (reads.get(secret.name) ?? 0) + 1);
        return ok(res, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          SecretString: version.value,
          VersionStages: [...version.stages],
          CreatedDate: version.created / 1000,
        });
      }
      case "CreateSecret": {
        if (secrets.has(secretId)) return fail(res, "ResourceExistsException", `The operation failed because the secret ${secretId} already exists.`);
        const version = put(secretId, String(input.SecretString ?? ""));
        const secret = secrets.get(secretId) as Secret;
        return ok(res, { ARN: secret.arn, Name: secret.name, VersionId: version.id });
      }
      case "PutSecretValue": {
        const secret = find(secretId);
        if (!secret) return fail(res, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        const version = put(secret.name, String(input.SecretString ?? ""));
        return ok(res, { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] });
      }
      case "DescribeSecret": {
        const secret = find(secretId);
        if (!secret) return fail(res, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        const versions = Object.fromEntries(secret.versions.filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]]));
        return ok(res, { ARN: secret.arn, Name: secret.name, CreatedDate: secret.created / 1000, VersionIdsToStages: versions });
      }
      case "ListSecrets":
        return ok(res, { SecretList: [...secrets.values()].map((s) => ({ ARN: s.arn, Name: s.name, CreatedDate: s.created / 1000 })) });
      default:
        return fail(res, "InvalidAction", `operation ${operation || "(none)"} is not implemented by the local Secrets Manager`);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put: (name, value) => void put(name, value),
    reads,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
