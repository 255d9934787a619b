import { styles } from "./styles";
import { type CallState, startWebCall } from "./web-call";

type Appearance = {
  buttonText: string;
  color: string;
  textColor: string;
  position: string;
  greeting: string;
  consentText: string;
};
type Call = Awaited<ReturnType<typeof startWebCall>>;

const script = document.currentScript as HTMLScriptElement | null;
const key = script?.dataset.widget ?? "";
const edge = script ? new URL(script.src).origin : "";
const labels: Record<CallState, string> = {
  connecting: "Connecting…",
  listening: "Listening…",
  speaking: "Agent speaking…",
  muted: "Muted",
  ended: "Call ended",
};

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${edge}${path}`, init);
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? "The call service is unavailable. Please try again later.");
  return body;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.textContent = text;
  return node;
}

/** Builds the button and panel in a shadow root on a host element of its own. */
function mount(look: Appearance | null, refusal?: string) {
  // A tag of our own, not a div: page rules aimed at divs cannot hide it; the shadow root does the rest.
  const host = document.createElement("bvrai-widget");
  host.dataset.state = "idle";
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = styles(look ?? { color: "#4f46e5", textColor: "#fff", position: "bottom-right" });
  const root = el("div", { class: "root" });
  const bubble = el("p", { class: "bubble", role: "note" }, look?.greeting ?? "");
  bubble.hidden = !look?.greeting;
  const panel = el("div", { class: "panel", role: "dialog", "aria-label": "Voice call" });
  panel.hidden = true;
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const consent = el("p", { class: "consent" }, look?.consentText ?? "");
  consent.hidden = !look?.consentText;
  const start = el(
    "button",
    { type: "button", class: "call" },
    look?.consentText ? "Agree and start call" : "Start call",
  );
  const mute = el("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Mute");
  const end = el("button", { type: "button", class: "end" }, "Hang up");
  const row = el("div", { class: "row" });
  row.append(mute, end);
  panel.append(status, consent, start, row);
  const open = el(
    "button",
    {
      type: "button",
      class: "call",
      "aria-label": `${look?.buttonText ?? "Call"}: start a voice call`,
      "aria-expanded": "false",
    },
    look?.buttonText ?? "Call",
  );
  root.append(bubble, panel, open);
  shadow.append(style, root);
  document.body.append(host);

  let call: Call | null = null;
  let reconnected = false;
  let mic: MediaStream | null = null;
  const say = (text: string, tone: "info" | "error" = "info") => {
    status.textContent = text;
    status.dataset.tone = tone;
  };
  const show = (s: CallState | "idle" | "error") => {
    host.dataset.state = s;
    const inCall = s === "connecting" || s === "listening" || s === "speaking" || s === "muted";
    row.hidden = !inCall;
    start.hidden = inCall;
    consent.hidden = inCall || !look?.consentText;
    if (s !== "idle" && s !== "error") say(labels[s]);
  };
  show("idle");
  row.hidden = true;

  const stopMic = () => {
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
  };
  async function connect() {
    show("connecting");
    const session = await api<{ token: string; relayUrl: string }>("/widget/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key }),
    });
    call = await startWebCall(session.relayUrl, session.token, mic!, {
      state: show,
      heard: (ms) => (host.dataset.heardMs = String(ms)),
      ended: () => {
        call = null;
        stopMic();
        say("Call ended. Thanks for calling.");
      },
      lost: () => {
        call = null;
        if (reconnected) return fail("The connection was lost. Please try again.");
        reconnected = true;
        say("Connection lost. Reconnecting…");
        connect().catch((err: Error) => fail(err.message));
      },
    });
  }
  const fail = (message: string) => {
    stopMic();
    show("error");
    say(message, "error");
  };

  open.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    bubble.hidden = true;
    open.setAttribute("aria-expanded", String(!panel.hidden));
    if (refusal) return fail(refusal);
    if (!panel.hidden && !call) say(look?.consentText ? "Please read this before you start." : "Ready when you are.");
  });
  start.addEventListener("click", async () => {
    reconnected = false;
    try {
      mic = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch {
      return fail("Microphone access was denied. Allow the microphone for this site to talk to us.");
    }
    await connect().catch((err: Error) => fail(err.message));
  });
  mute.addEventListener("click", () => {
    const m = mute.getAttribute("aria-pressed") !== "true";
    mute.setAttribute("aria-pressed", String(m));
    mute.textContent = m ? "Unmute" : "Mute";
    call?.setMuted(m);
  });
  end.addEventListener("click", () => call?.hangUp());
}

if (key && edge) {
  api<Appearance>(`/widget/config?key=${encodeURIComponent(key)}`)
    .then((look) => mount(look))
    .catch((err: Error) => mount(null, err.message));
}
