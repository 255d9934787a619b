import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { env, isProduction } from "~/utils/env.server";
import { readOutbox } from "~/utils/mail-transports.server";

/** Development only: the local outbox, standing in for an inbox. Production answers 404. */
export async function loader(_: LoaderFunctionArgs) {
  if (isProduction() || env().MAIL_TRANSPORT !== "outbox") throw new Response("Not found", { status: 404 });
  return { messages: await readOutbox(env().MAIL_OUTBOX_DIR) };
}

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>SANDBOX mailbox</h1>
      <p className="muted">Development only: emails the platform would have sent. Nothing left this machine.</p>
      {messages.length === 0 && <p>No messages yet.</p>}
      {messages.map((m) => (
        <article key={m.id} className="card" data-to={m.to}>
          <p className="muted">
            To {m.to} · {new Date(m.sentAt).toLocaleString()}
          </p>
          <h2>{m.subject}</h2>
          <pre>{m.text}</pre>
        </article>
      ))}
    </main>
  );
}
