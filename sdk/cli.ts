#!/usr/bin/env -S npx tsx
import { parseArgs } from "node:util";
import { commands, TestsFailed, UsageError } from "./cli-commands";
import { type Env, loadCliConfig, saveCliConfig } from "./cli-config";
import { allCalls, BvraiConfigError, BvraiError, createBvrai, PUBLIC_API_URL, unwrap } from "./client";

const usage = `bvrai: the BVRAI API from the command line

  bvrai login --key bv_live_… [--url ${PUBLIC_API_URL}]
  bvrai agents list | create --name N --prompt P [--first-message M] [--model M]
  bvrai agents update <id> [--name N] [--prompt P] [--first-message M] [--model M]
  bvrai calls list [--from +1…] [--limit N] | transcript <id> | tail <id>
  bvrai numbers search [--country US] [--area-code 415] | buy <+1…> [--agent <id>]
  bvrai call --from-number <number id> --to <+1…> --agent <agent id>
  bvrai test run <suite id> [--version N]   (exit 1 unless every case passed: use it in CI)

BVRAI_API_KEY and BVRAI_API_URL override the saved login. The URL must be https (plain http only
to this machine). Exit codes: 0 done, 1 the API refused (or tests failed), 2 bad usage.`;

export async function main(argv: string[], env: Env, out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: "string" },
      url: { type: "string" },
      name: { type: "string" },
      prompt: { type: "string" },
      "first-message": { type: "string" },
      model: { type: "string" },
      from: { type: "string" },
      limit: { type: "string" },
      country: { type: "string" },
      "area-code": { type: "string" },
      agent: { type: "string" },
      "from-number": { type: "string" },
      to: { type: "string" },
      version: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, action, arg] = positionals;
  if (!group || values.help) {
    out(usage);
    return group ? 0 : 2;
  }
  try {
    if (group === "login") {
      if (!values.key) throw new UsageError("login needs --key bv_live_…");
      const baseUrl = values.url ?? PUBLIC_API_URL;
      unwrap(await createBvrai({ apiKey: values.key, baseUrl, maxRetries: 1 }).GET("/agents"));
      out(`Logged in; key saved in ${await saveCliConfig(env, { apiKey: values.key, baseUrl })}`);
      return 0;
    }
    const config = await loadCliConfig(env);
    if (!config) throw new UsageError("not logged in: run `bvrai login --key bv_live_…` or set BVRAI_API_KEY");
    const api = createBvrai(config);
    const run = commands[`${group}${action && !action.startsWith("-") && group !== "call" ? ` ${action}` : ""}`];
    if (!run) throw new UsageError(`unknown command: ${positionals.join(" ")}`);
    await run({ api, values, arg: group === "call" ? action : arg, out, allCalls: (q) => allCalls(api, q), env });
    return 0;
  } catch (err) {
    if (err instanceof BvraiConfigError) {
      out(err.message);
      return 2;
    }
    if (err instanceof UsageError) {
      out(`${err.message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof TestsFailed) {
      out(`tests failed: ${err.message}`);
      return 1;
    }
    if (err instanceof BvraiError) {
      out(`error ${err.code}: ${err.message}${err.requestId ? ` (request ${err.requestId})` : ""}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/bvrai"))
  process.exitCode = await main(process.argv.slice(2), process.env);
