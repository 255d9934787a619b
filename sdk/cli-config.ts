import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { PUBLIC_API_URL } from "../core/public-api";

/** The environment the CLI reads (process.env, or a test's own). */
export type Env = Record<string, string | undefined>;
export type CliConfig = { apiKey: string; baseUrl: string };

const file = (env: Env) => join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), ".config"), "bvrai", "config.json");

/** The saved login, overridden by BVRAI_API_KEY / BVRAI_API_URL (CI); null when there is neither. */
export async function loadCliConfig(env: Env): Promise<CliConfig | null> {
  const saved = await readFile(file(env), "utf8")
    .then((t) => JSON.parse(t) as Partial<CliConfig>)
    .catch(() => ({}) as Partial<CliConfig>);
  const apiKey = env.BVRAI_API_KEY ?? saved.apiKey;
  return apiKey ? { apiKey, baseUrl: env.BVRAI_API_URL ?? saved.baseUrl ?? PUBLIC_API_URL } : null;
}

/** Readable by this user only: it holds an API key. */
export async function saveCliConfig(env: Env, config: CliConfig) {
  const path = file(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
