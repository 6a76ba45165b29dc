import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import * as z from "zod/mini";
import { REPO_ROOT } from "../infra/config";
import { UnreachableError } from "./errors";

/** Where the running local stack (`npm start`, local-stack/stack.ts) writes its endpoints. */
export const DEFAULT_ENDPOINTS_FILE = join(REPO_ROOT, ".local-stack", "endpoints.json");

/** `.local-stack/endpoints.json`, written by the local stack while it runs. */
export const LocalEndpointsSchema = z.object({
  region: z.string().check(z.minLength(1)),
  sqsEndpoint: z.url(),
  secretsManagerEndpoint: z.url(),
  dynamodbEndpoint: z.optional(z.url()),
  stackName: z.optional(z.string()),
  /** The deploy config the local stack was started with; the CLI's default config under `--local`. */
  configPath: z.optional(z.string()),
  sandboxes: z.optional(z.record(z.string(), z.string())),
  /** The webhook ingress (local-stack/stack.ts); `oro-integration register` defaults its `--ingress-url` to it. */
  webhookUrl: z.optional(z.string()),
});
export type LocalEndpoints = z.infer<typeof LocalEndpointsSchema>;

/**
 * Reads the local stack's endpoints file. Throws {@link UnreachableError} (exit 3) when it is
 * missing or unreadable: the local stack is not running.
 *
 * A relative `configPath` in it is taken relative to the directory holding `.local-stack/`.
 *
 * @param path - default `.local-stack/endpoints.json` of this repository
 */
export const readLocalEndpoints = (path = DEFAULT_ENDPOINTS_FILE): LocalEndpoints => {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UnreachableError(
      `the local stack is not running: ${file} does not exist. Start it with \`npm start\` (in another terminal), or drop --local to use AWS.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UnreachableError(`${file} is not JSON (${(error as Error).message}); restart the local stack (\`npm start\`).`);
  }
  const parsed = LocalEndpointsSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ");
    throw new UnreachableError(`${file} is missing or has bad fields (${fields}); restart the local stack (\`npm start\`).`);
  }
  const endpoints = parsed.data;
  if (endpoints.configPath !== undefined && !isAbsolute(endpoints.configPath)) endpoints.configPath = resolve(dirname(file), "..", endpoints.configPath);
  return endpoints;
};

/** Dummy credentials for the local services (they do not check them). */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;
