import { Hono } from "hono/tiny";
import { errorResponse } from "./errors";
import { health, ready } from "./routes/health";
import { originProxy } from "./routes/origin-proxy";
import { stripeWebhook } from "./routes/stripe-webhook";
import { twilioOutbound } from "./routes/twilio-outbound";
import { twilioRecording } from "./routes/twilio-recording";
import { twilioStatus } from "./routes/twilio-status";
import { twilioStreamEnded } from "./routes/twilio-stream-ended";
import { twilioTransfer } from "./routes/twilio-transfer";
import { twilioVoice } from "./routes/twilio-voice";
import { widgetJs } from "./routes/widget-script";
import { widgetSession } from "./routes/widget-session";
import { type AppEnv, services } from "./services";
import { log } from "./telemetry";

const app = new Hono<AppEnv>();
app.use("*", services);
app.route("/health", health);
app.route("/ready", ready);
app.route("/twilio/voice", twilioVoice);
app.route("/twilio/status", twilioStatus);
app.route("/twilio/stream-ended", twilioStreamEnded);
app.route("/twilio/outbound", twilioOutbound);
app.route("/twilio/recording", twilioRecording);
app.route("/twilio/transfer", twilioTransfer);
app.route("/stripe/webhook", stripeWebhook);
app.route("/widget", widgetSession);
app.route("/widget.js", widgetJs);
// Everything else is the portal's or the API's: limited here, then forwarded to the origin.
app.route("/", originProxy);
app.notFound((c) => errorResponse(c, "NOT_FOUND", "No such route."));
app.onError((err, c) => {
  log("error", "unhandled", {
    err: err.message,
    cause: String((err as { cause?: unknown }).cause ?? ""),
    requestId: c.get("requestId"),
  });
  return errorResponse(c, "INTERNAL_SERVER_ERROR", "Something went wrong.");
});

export default app;
