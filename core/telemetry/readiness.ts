/** Runtime-neutral (the edge uses it too): each check names a dependency that must answer. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/** Each dependency asked at once, each given `timeoutMs`: ready only if all answer. */
export async function readiness(checks: ReadinessChecks, timeoutMs = 2000) {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          check(),
          new Promise(
            (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
          ),
        ]);
        return [name, "ok"] as const;
      } catch (err) {
        return [name, `failing: ${(err as Error).message.slice(0, 200)}`] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const ready = results.every(([, r]) => r === "ok");
  return { ready, body: { status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) } };
}
