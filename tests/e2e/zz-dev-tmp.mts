import { spawn } from "node:child_process";
import { e2e } from "./settings.ts";
const c = spawn("npx", ["tsx", "scripts/dev.ts"], { env: { ...process.env, ...e2e.serverEnv }, stdio: "inherit" });
setTimeout(() => c.kill("SIGTERM"), 50000);
