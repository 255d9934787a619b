import { API_KEY_PREFIX } from "../crypto/api-key";

/**
 * What no log line may carry, wherever it sits: values under these keys are replaced outright;
 * phone numbers, bearer tokens, provider and platform keys, JWTs, URL passwords and the tokens of
 * emailed links (`/invite/…`, `?token=…`) are cut out of any string. Prompts and transcripts are
 * tenants' content, so they go by key too.
 */
const secretKey =
  /^(authorization|cookie|setcookie|password|passcode|otp|secret|.*(token|secret|apikey|password)|.*prompt|firstmessage|transcript|utterance|text|content|from|to|caller|callernumber|phone|phonenumber|e164|email|body)$/;
const isSecretKey = (key: string) => secretKey.test(key.replace(/[-_]/g, "").toLowerCase());

const patterns: [RegExp, string][] = [
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]"],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[jwt]"],
  [new RegExp(`\\b${API_KEY_PREFIX}[A-Za-z0-9]+`, "g"), `${API_KEY_PREFIX}[redacted]`],
  [/\b(sk|rk)[-_](live_|test_|proj-)?[A-Za-z0-9_-]{8,}/g, "$1_[redacted]"],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, "whsec_[redacted]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1[redacted]@"],
  [/(?<![\w-])(?:\+?[1-9]\d{0,2}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)/g, "[phone]"],
  // Links that work by their token alone: an invitation's path, a reset or sign-in link's query.
  [/((?:\/|%2f)invite(?:\/|%2f))[^\s/?#&%"'<>]+/gi, "$1[redacted]"],
  [/([?&](?:token|code)=)[^\s&#"'<>]+/gi, "$1[redacted]"],
];

export const REDACTED = "[redacted]";

export function scrubText(text: string) {
  let out = text;
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}

/** A copy of `value` fit to log: secret keys replaced, strings scrubbed, cycles and depth bounded. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    // A failed query's reason is its cause (drizzle wraps the driver's error), and its Postgres code.
    const { code, cause } = value as { code?: unknown; cause?: unknown };
    return {
      type: value.name,
      message: scrubText(value.message),
      ...(typeof code === "string" && { code }),
      stack: value.stack && scrubText(value.stack),
      ...(cause !== undefined && depth < 4 && { cause: redact(cause, depth + 1, seen) }),
    };
  }
  if (seen.has(value) || depth > 8) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = isSecretKey(k) && v != null && v !== "" ? REDACTED : redact(v, depth + 1, seen);
  return out;
}
