import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * scripts/ensure-machine.sh, which `npm test` and `.ci/run` call first, on machines made of stub
 * commands (a PATH holding only small shell scripts that log their arguments): no root, no network,
 * nothing installed or started for real.
 */
const script = new URL("../../scripts/ensure-machine.sh", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Machine = {
  uid: number;
  lacking?: string[];
  node?: string;
  postgresAsksPassword?: boolean;
  redisStopped?: boolean;
};

function run({ uid, lacking = [], node = "v20.11.1", postgresAsksPassword = false, redisStopped = false }: Machine) {
  const bin = mkdtempSync(join(tmpdir(), "bvrai-ensure-machine-"));
  dirs.push(bin);
  const log = join(bin, "calls.log");
  const redisMarker = join(bin, "redis.running");
  if (!redisStopped) writeFileSync(redisMarker, "");
  const stubs: Record<string, string> = {
    id: `echo ${uid}`,
    node: `echo ${node}`,
    "apt-get": "",
    chromium: "",
    "redis-server": `: > ${redisMarker}`,
    "redis-cli": `[ -e ${redisMarker} ]`,
    pg_ctlcluster: "",
    pg_isready: "",
    psql: postgresAsksPassword ? "exit 2" : "",
    "espeak-ng": "",
    sox: "",
  };
  for (const [name, body] of Object.entries(stubs)) {
    if (lacking.includes(name)) continue;
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> ${log}\n${body}\n`);
    chmodSync(path, 0o755);
  }
  // Only the stubs on PATH: the machine's own commands must not leak in.
  const env = { PATH: bin } as unknown as NodeJS.ProcessEnv;
  const result = spawnSync("/bin/bash", [script], { env, encoding: "utf8" });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const callsOf = (calls: string[], command: string) => calls.filter((c) => c.startsWith(`${command} `));
const packagesIn = (call: string) =>
  call
    .split(" ")
    .filter((word) => !word.startsWith("-"))
    .slice(2);

describe("ensure-machine.sh", () => {
  it("as root, installs exactly the missing Debian packages with apt-get and goes on", () => {
    const machine = run({ uid: 0, lacking: ["sox", "espeak-ng"] });
    expect(machine.stderr).toBe("");
    expect(machine.status).toBe(0);
    const [update, install, ...more] = callsOf(machine.calls, "apt-get");
    expect(update).toMatch(/^apt-get update\b/);
    expect(install).toMatch(/^apt-get install -y\b/);
    expect(packagesIn(install ?? "")).toEqual(["espeak-ng", "sox"]);
    expect(more).toEqual([]);
  });

  it("as anyone else, prints the exact command and fails without calling apt-get or starting anything", () => {
    const machine = run({ uid: 1000, lacking: ["sox", "espeak-ng", "pg_ctlcluster"] });
    expect(machine.status).not.toBe(0);
    expect(machine.stderr).toContain("lacks postgresql, espeak-ng, sox.");
    expect(machine.stderr).toContain("sudo apt-get update && sudo apt-get install -y postgresql espeak-ng sox\n");
    expect(machine.stderr).toContain(
      "sudo sed -i '1i host all all 127.0.0.1/32 trust' /etc/postgresql/*/main/pg_hba.conf",
    );
    expect(callsOf(machine.calls, "apt-get")).toEqual([]);
    expect(callsOf(machine.calls, "pg_ctlcluster")).toEqual([]);
    expect(callsOf(machine.calls, "redis-server")).toEqual([]);
  });

  it("with everything there, prints nothing, changes nothing and exits 0", () => {
    const machine = run({ uid: 1000 });
    expect({ status: machine.status, stdout: machine.stdout, stderr: machine.stderr }).toEqual({
      status: 0,
      stdout: "",
      stderr: "",
    });
    for (const command of ["apt-get", "pg_ctlcluster", "redis-server"]) {
      expect(callsOf(machine.calls, command)).toEqual([]);
    }
  });

  it("names the pg_hba.conf trust line when Postgres asks for a password, as anyone but root", () => {
    const machine = run({ uid: 1000, postgresAsksPassword: true });
    expect(machine.status).not.toBe(0);
    expect(machine.stderr).toContain("lacks trust for user postgres on 127.0.0.1 in Postgres.");
    expect(machine.stderr).toMatch(
      /sudo sed -i '1i host all all 127\.0\.0\.1\/32 trust' \/etc\/postgresql\/.*pg_hba\.conf/,
    );
  });

  it("starts a stopped Redis and waits until it answers", () => {
    const machine = run({ uid: 1000, redisStopped: true });
    expect(machine.status).toBe(0);
    expect(machine.stdout).toBe("starting Redis\n");
    expect(callsOf(machine.calls, "redis-server")).toEqual([
      `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save  --appendonly no`,
    ]);
  });

  it("refuses a Node older than 20, naming how to get one", () => {
    const machine = run({ uid: 0, node: "v18.19.0" });
    expect(machine.status).not.toBe(0);
    expect(machine.stderr).toContain("lacks Node 20 or later (found: v18.19.0).");
    expect(machine.stderr).toContain("https://deb.nodesource.com/setup_20.x");
  });
});
