import { randomHex } from "../bytes";
import { generatePiiKey } from "../crypto/pii";
import type * as z from "../zod";

/** A throwaway development value in the format the variable expects. */
export const devSecret = (name: string) => (name === "PII_ENCRYPTION_KEYS" ? generatePiiKey("dev") : randomHex(32));

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

/** A secret is strong when it is long and not a repeated or placeholder string. */
export function weakness(value: string): string | undefined {
  if (value.length < 32) return "is shorter than 32 characters";
  if (new Set(value).size < 10) return "has too few distinct characters";
  if (/change.?me|secret|password|example|placeholder/i.test(value)) return "looks like a placeholder";
  return undefined;
}

export const isProduction = (env: Env) => env.NODE_ENV === "production" || env.ENVIRONMENT === "production";

/**
 * Parses one runtime's configuration. In production a missing or weak secret stops the boot,
 * naming the variable; in development a throwaway value is generated and reported.
 */
export function loadConfig<S extends z.ZodMiniObject>(
  runtime: string,
  schema: S,
  secrets: readonly string[],
  env: Env,
  log: (msg: string) => void = (msg) => console.warn(msg),
): z.infer<S> {
  const production = isProduction(env);
  const values: Env = { ...env };
  const problems: string[] = [];
  const generated: string[] = [];
  for (const name of secrets) {
    const value = values[name];
    if (!value) {
      if (production) problems.push(`${name} is required in production`);
      else {
        values[name] = devSecret(name);
        generated.push(name);
      }
      continue;
    }
    const weak = weakness(value);
    if (weak && production) problems.push(`${name} ${weak}`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  if (problems.length) {
    throw new ConfigError(`${runtime}: invalid configuration\n  - ${problems.join("\n  - ")}`);
  }
  if (generated.length) {
    log(`${runtime}: development mode, generated throwaway ${generated.join(", ")} (not for production)`);
  }
  return parsed.data as z.infer<S>;
}
