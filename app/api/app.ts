import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestIdFrom } from "../../core/edge/request-id";
import { PUBLIC_API_URL } from "../../core/public-api";
import { serviceLogger } from "../../core/telemetry";
import { reportError } from "../../core/telemetry/sentry";
import { DATABASE_RETRY_AFTER_SECONDS, isConnectionError } from "../../db/connection-errors";
import { AgentInputError } from "../../db/queries/agents";
import { apiKeyAuth } from "./auth";
import type { ApiEnv, ApiServices } from "./context";
import { ApiError, apiError, clientErrorCode } from "./errors";
import { agentVersionsList } from "./routes/agent-versions-list";
import { agentVersionsRestore } from "./routes/agent-versions-restore";
import { agentsCreate } from "./routes/agents-create";
import { agentsDelete } from "./routes/agents-delete";
import { agentsGet } from "./routes/agents-get";
import { agentsList } from "./routes/agents-list";
import { agentsUpdate } from "./routes/agents-update";
import { auditList } from "./routes/audit-list";
import { callsCreate } from "./routes/calls-create";
import { callsGet } from "./routes/calls-get";
import { callsList } from "./routes/calls-list";
import { callsRecording } from "./routes/calls-recording";
import { callsReplay } from "./routes/calls-replay";
import { campaignsCreate } from "./routes/campaigns-create";
import { campaignsList } from "./routes/campaigns-list";
import { campaignsStatus } from "./routes/campaigns-status";
import { doNotCallAdd } from "./routes/do-not-call-add";
import { doNotCallList } from "./routes/do-not-call-list";
import { doNotCallRemove } from "./routes/do-not-call-remove";
import { exportsCalls, exportsUsage } from "./routes/exports";
import { invitationsCreate } from "./routes/invitations-create";
import { membersList } from "./routes/members-list";
import { membersRemove } from "./routes/members-remove";
import { membersUpdate } from "./routes/members-update";
import { numbersBuy } from "./routes/numbers-buy";
import { numbersList } from "./routes/numbers-list";
import { numbersRelease } from "./routes/numbers-release";
import { numbersSearch } from "./routes/numbers-search";
import { numbersUpdate } from "./routes/numbers-update";
import { runsGet } from "./routes/runs-get";
import { suiteRunsCreate } from "./routes/suite-runs-create";
import { usageDaily } from "./routes/usage-daily";
import { webhookDeliveriesList } from "./routes/webhook-deliveries-list";
import { webhookDeliveriesResend } from "./routes/webhook-deliveries-resend";
import { webhooksCreate } from "./routes/webhooks-create";
import { webhooksDelete } from "./routes/webhooks-delete";
import { webhooksGet } from "./routes/webhooks-get";
import { webhooksList } from "./routes/webhooks-list";
import { webhooksRotate } from "./routes/webhooks-rotate";
import { webhooksUpdate } from "./routes/webhooks-update";
import { widgetsGet } from "./routes/widgets-get";
import { widgetsPut } from "./routes/widgets-put";

const MAX_BODY_BYTES = 256 * 1024;
/** The OpenAPI document's header, served at /openapi.json and used to generate the SDK's types. */
export const documentConfig = {
  openapi: "3.1.0",
  info: { title: "BVRAI API", version: "1.0.0" },
  servers: [
    { url: PUBLIC_API_URL, description: "BVRAI" },
    { url: "/api/v1", description: "The deployment serving this document" },
  ],
};

/**
 * The public REST API (`/api/v1`): one file per endpoint, services read from the context, one
 * error shape over a closed list of codes with the request id (docs/decisions/0015).
 */
export function createApi(services: ApiServices) {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        return apiError(
          c,
          "BAD_REQUEST",
          issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "Invalid request.",
        );
      }
    },
  });
  api.use("*", async (c, next) => {
    c.set("requestId", requestIdFrom(c.req.header("x-request-id")));
    c.header("x-request-id", c.get("requestId"));
    c.set("services", services);
    await next();
  });
  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => apiError(c, "PAYLOAD_TOO_LARGE", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  api.doc31("/openapi.json", documentConfig);
  api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key from Settings → API keys (bv_live_…)",
  });
  api.use("*", async (c, next) => (c.req.path.endsWith("/openapi.json") ? next() : apiKeyAuth(c, next)));
  const routes = [
    ...[
      agentsList,
      agentsGet,
      agentsCreate,
      agentsUpdate,
      agentsDelete,
      agentVersionsList,
      agentVersionsRestore,
      widgetsGet,
      widgetsPut,
    ],
    ...[callsList, callsGet, callsCreate, callsRecording, callsReplay, suiteRunsCreate, runsGet],
    ...[
      numbersList,
      numbersSearch,
      numbersBuy,
      numbersUpdate,
      numbersRelease,
      doNotCallList,
      doNotCallAdd,
      doNotCallRemove,
    ],
    ...[campaignsList, campaignsCreate, campaignsStatus, usageDaily, exportsCalls, exportsUsage],
    ...[membersList, membersUpdate, membersRemove, invitationsCreate, auditList],
    ...[
      webhooksList,
      webhooksCreate,
      webhooksGet,
      webhooksUpdate,
      webhooksDelete,
      webhooksRotate,
      webhookDeliveriesList,
      webhookDeliveriesResend,
    ],
  ];
  for (const r of routes) api.route("/", r);
  api.notFound((c) => apiError(c, "NOT_FOUND", "No such route."));
  api.onError((err, c) => {
    if (err instanceof ApiError) return apiError(c, err.code, err.message);
    // The request's own fault found before a handler ran (a body that is not JSON): a 4xx, never a 500.
    if (err instanceof HTTPException && err.status < 500)
      return apiError(c, clientErrorCode(err.status), err.message || "Invalid request.");
    if (err instanceof AgentInputError) return apiError(c, "BAD_REQUEST", `${err.field}: ${err.message}`);
    if (isConnectionError(err)) {
      serviceLogger("web").warn({ err }, "database unavailable");
      c.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      return apiError(c, "SERVICE_UNAVAILABLE", "The service is briefly unavailable; try again in a few seconds.");
    }
    serviceLogger("web").error({ err, cause: String((err as { cause?: unknown }).cause ?? "") }, "api error");
    reportError(err, { requestId: c.get("requestId"), tenantId: c.get("key")?.tenantId });
    return apiError(c, "INTERNAL_SERVER_ERROR", "Something went wrong.");
  });
  return api;
}
