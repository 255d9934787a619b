import { createServer } from "node:http";

type Message = { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string };
/** A scripted answer: words to stream, and optionally tool calls after them. */
export type Reply = string | { text?: string; tools: { name: string; arguments: Record<string, unknown> }[] };
export type ChatRequest = {
  apiKey?: string;
  model: string;
  temperature?: number;
  stream?: boolean;
  messages: Message[];
  tools?: { type: string; function: { name: string } }[];
};

/**
 * OpenAI's chat completions endpoint (`POST /v1/chat/completions`), scripted: Bearer auth, and
 * with `stream: true` Server-Sent Events of `chat.completion.chunk` objects ending in `[DONE]`.
 * `reply` decides the answer from the conversation; `tokenDelayMs` spaces the tokens out;
 * `firstTokenMs`: the stream's headers go at once and its first chunk that late, the model's time
 * to first token (https://platform.openai.com/docs/guides/latency-optimization: streaming shows
 * the first tokens once generated; figures per model: https://artificialanalysis.ai/models/gpt-4o-mini).
 */
export async function startOpenAIFake(opts: {
  apiKey: string | string[];
  reply: (messages: Message[]) => Reply;
  tokenDelayMs?: number;
  firstTokenMs?: number;
  failWith?: () => number | undefined;
  port?: number;
}) {
  const requests: ChatRequest[] = [];
  const server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "POST" && req.url === "/v1/embeddings") return embeddings(req, res, opts.apiKey);
    if (req.method !== "POST" || req.url !== "/v1/chat/completions")
      return json(404, { error: { message: "not found", type: "invalid_request_error" } });
    const keys = Array.isArray(opts.apiKey) ? opts.apiKey : [opts.apiKey];
    const apiKey = req.headers.authorization?.replace(/^Bearer /, "");
    if (!apiKey || !keys.includes(apiKey))
      return json(401, {
        error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
      });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as ChatRequest;
    requests.push({ ...body, apiKey });
    const failure = opts.failWith?.();
    if (failure)
      return json(failure, {
        error: { message: "The server had an error while processing your request.", type: "server_error" },
      });
    const id = `chatcmpl-${crypto.randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const scripted = opts.reply(body.messages);
    const text = typeof scripted === "string" ? scripted : (scripted.text ?? "");
    const tools = typeof scripted === "string" ? [] : scripted.tools;
    for (const t of tools) {
      if (!body.tools?.some((spec) => spec.function.name === t.name)) {
        return json(400, { error: { message: `tool ${t.name} was not offered`, type: "invalid_request_error" } });
      }
    }
    if (!body.stream) {
      return json(200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    if (opts.firstTokenMs) await new Promise((r) => setTimeout(r, opts.firstTokenMs));
    if (res.destroyed) return;
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    for (const token of text.match(/\S+\s*/g) ?? []) {
      if (res.destroyed) return;
      if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
      res.write(chunk({ content: token }, null));
    }
    // Tool calls stream as fragments: id and name first, the arguments in pieces after.
    tools.forEach((t, index) => {
      const args = JSON.stringify(t.arguments);
      res.write(
        chunk(
          {
            tool_calls: [
              {
                index,
                id: `call_${crypto.randomUUID().slice(0, 8)}`,
                type: "function",
                function: { name: t.name, arguments: "" },
              },
            ],
          },
          null,
        ),
      );
      for (let i = 0; i < args.length; i += 8)
        res.write(chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 8) } }] }, null));
    });
    res.write(chunk({}, tools.length ? "tool_calls" : "stop"));
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * `POST /v1/embeddings`, deterministic: each input becomes a bag of its word stems hashed into
 * `dimensions` (default 1536), unit length, so texts sharing words are near. `encoding_format`
 * `base64` (the SDK's default) answers little-endian float32, as OpenAI does.
 */
async function embeddings(
  req: import("node:http").IncomingMessage,
  res: import("node:http").ServerResponse,
  apiKey: string | string[],
) {
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const keys = Array.isArray(apiKey) ? apiKey : [apiKey];
  if (!keys.includes(req.headers.authorization?.replace(/^Bearer /, "") ?? ""))
    return json(401, {
      error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
    });
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString()) as {
    model: string;
    input: string | string[];
    dimensions?: number;
    encoding_format?: "float" | "base64";
  };
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  if (!inputs.length || inputs.some((i) => typeof i !== "string" || !i))
    return json(400, {
      error: { message: "'input' must be a non-empty string or array of strings", type: "invalid_request_error" },
    });
  const dims = body.dimensions ?? 1536;
  const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, "");
  const data = inputs.map((text, index) => {
    const v = new Float32Array(dims);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 2166136261;
      for (const ch of stem(word)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
      v[(h >>> 0) % dims]! += 1;
    }
    const norm = Math.hypot(...v) || 1;
    for (let i = 0; i < dims; i++) v[i]! /= norm;
    const embedding = body.encoding_format === "base64" ? Buffer.from(v.buffer).toString("base64") : Array.from(v);
    return { object: "embedding", index, embedding };
  });
  const tokens = inputs.reduce((n, i) => n + i.split(/\s+/).length, 0);
  return json(200, { object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
