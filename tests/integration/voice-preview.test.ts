import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PREVIEWS_PER_MINUTE } from "../../app/agents/voice-preview.server";
import { elevenLabsVoiceOptions, sandboxVoiceOptions } from "../../core/agents/voice-catalogue";
import { parseWav } from "../../core/audio/wav";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { configurePortal, cookieFrom, get, run } from "../support/portal";
import { seedTenant, seedUser } from "../support/seed";

/** The agent form's ▶: a listed voice's fixed sample, for signed-in team members only. */
const ownerUrl = () => inject("ownerUrl");
let portal: Awaited<ReturnType<typeof configurePortal>>;
let fake: Awaited<ReturnType<typeof startElevenLabsFake>>;
let route: typeof import("../../app/routes/_portal.agents.voices.preview");
let cookie = "";
let session: typeof import("../../app/utils/session.server");

beforeAll(async () => {
  fake = await startElevenLabsFake({ apiKey: "xi-preview" });
  portal = await configurePortal({
    appUrl: inject("appUrl"),
    TTS_PROVIDER: "elevenlabs",
    ELEVENLABS_API_KEY: "xi-preview",
    ELEVENLABS_URL: fake.url,
  });
  route = await import("../../app/routes/_portal.agents.voices.preview");
  session = await import("../../app/utils/session.server");
  const t = await seedTenant(ownerUrl());
  const owner = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "viewer" });
  cookie = cookieFrom(await session.createSession(owner.id, t.tenantId));
});
afterAll(async () => {
  await (await import("../../app/utils/db.server")).db().$pool.end();
  await fake?.stop();
  portal?.restore();
});

const preview = (query: string, opts: { cookie?: string } = { cookie }) =>
  run(route.loader, get(`/agents/voices/preview${query}`, opts));

describe("a voice's preview", () => {
  it("sends a signed-out browser to log in, and speaks nothing", async () => {
    const before = fake.spoken.length;
    const r = await preview(`?voice=${elevenLabsVoiceOptions[0]!.id}`, {});
    expect(r.status).toBe(302);
    expect(r.location).toMatch(/^\/login\?redirectTo=/);
    expect(fake.spoken.length).toBe(before);
  });

  it("refuses a voice that is not in the list, whatever its shape", async () => {
    for (const bad of ["nobody", "sandbox-alloy2", "", "../../etc/passwd", "<script>", "a".repeat(5000)])
      expect((await preview(`?voice=${encodeURIComponent(bad)}`)).status, bad).toBe(404);
  });

  it("is a sandbox voice's sample as a WAV, spoken by the sandbox (eSpeak NG or tones)", async () => {
    const r = await preview(`?voice=${sandboxVoiceOptions[1]!.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("audio/wav");
    expect(r.headers.get("cache-control")).toMatch(/^private/);
    const wav = parseWav(new Uint8Array(Buffer.from(r.body as string, "latin1")));
    expect(wav?.sampleRate).toBe(8000);
  });

  it("is a provider voice's fixed sample, spoken by the provider with the platform's key", async () => {
    const voice = elevenLabsVoiceOptions[2]!;
    const r = await preview(`?voice=${voice.id}&text=${encodeURIComponent("say something else")}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("audio/wav");
    expect(fake.spoken.at(-1)).toEqual({ voice: voice.id, text: `Hi, I'm ${voice.name}. How can I help?` });
    expect(Number(r.headers.get("content-length"))).toBeLessThanOrEqual(44 + 8 * 8000 * 2);
  });

  it("is refused for a while (429, Retry-After) once a team has asked for a minute's worth", async () => {
    const t = await seedTenant(ownerUrl());
    const member = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "member" });
    const own = cookieFrom(await session.createSession(member.id, t.tenantId));
    const voice = `?voice=${elevenLabsVoiceOptions[0]!.id}`;
    for (let i = 0; i < PREVIEWS_PER_MINUTE; i++) expect((await preview(voice, { cookie: own })).status).toBe(200);
    const spoken = fake.spoken.length;
    const refused = await preview(voice, { cookie: own });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fake.spoken.length).toBe(spoken);
    // Another team is not held back by this one.
    expect((await preview(voice)).status).toBe(200);
  });
});
