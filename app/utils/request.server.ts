/** Set by our server (app/server/app.ts) on every request, replacing anything the client sent. */
export const CLIENT_IP_HEADER = "x-bvrai-client-ip";

export const clientIp = (request: Request) => request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
