/** Money is integer micro-units (1e-6 of the currency) in a bigint; never a float. */
export type Micros = bigint;

export const MICROS_PER_UNIT = 1_000_000n;

export function callCostMicros(durationSeconds: number, pricePerSecondMicros: Micros): Micros {
  if (!Number.isInteger(durationSeconds) || durationSeconds < 0) {
    throw new RangeError("durationSeconds must be a non-negative integer");
  }
  return BigInt(durationSeconds) * pricePerSecondMicros;
}

/** Billed seconds: every started second counts (what Vapi and Retell bill), from milliseconds. */
export const billableSeconds = (durationMs: number) => Math.max(0, Math.ceil(durationMs / 1000));

export function formatMicros(amount: Micros, currency = "usd"): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / MICROS_PER_UNIT;
  let frac = (abs % MICROS_PER_UNIT).toString().padStart(6, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  const symbol = currency === "usd" ? "$" : `${currency.toUpperCase()} `;
  return `${negative ? "-" : ""}${symbol}${whole}.${frac}`;
}

/** A decimal amount as a provider writes it ("-0.01300") into micros, exactly; more than 6 decimals is refused. */
export function parseDecimalMicros(value: string): Micros {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const micros = BigInt(m[2]!) * MICROS_PER_UNIT + BigInt((m[3] ?? "").padEnd(6, "0"));
  return m[1] ? -micros : micros;
}
