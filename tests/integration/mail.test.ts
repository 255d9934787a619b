import { mkdtemp } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { describe, expect, it } from "vitest";
import { readOutbox, smtpSender, writeOutbox } from "../../app/utils/mail-transports.server";

describe("the mailer's transports", () => {
  it("delivers over SMTP: envelope, subject and body reach the server", async () => {
    const received: { from: string; to: string[]; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, done) {
        let data = "";
        stream.on("data", (c: Buffer) => (data += c.toString()));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          done();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.server.address() as { port: number }).port;
    try {
      const send = smtpSender(`smtp://127.0.0.1:${port}?ignoreTLS=true`, "BVRAI <no-reply@bvrai.test>");
      await send({
        to: "owner@example.com",
        subject: "123456 is your BVRAI verification code",
        text: "Your code is 123456.",
      });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ from: "no-reply@bvrai.test", to: ["owner@example.com"] });
      expect(received[0]!.data).toContain("Subject: 123456 is your BVRAI verification code");
      expect(received[0]!.data).toContain("Your code is 123456.");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("keeps development mail in the outbox, newest first", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bvrai-outbox-"));
    await writeOutbox(dir, "x@bvrai.test", { to: "a@example.com", subject: "first", text: "1" });
    await new Promise((r) => setTimeout(r, 5));
    await writeOutbox(dir, "x@bvrai.test", { to: "b@example.com", subject: "second", text: "2" });
    expect((await readOutbox(dir)).map((m) => m.subject)).toEqual(["second", "first"]);
    expect(await readOutbox(join(dir, "missing"))).toEqual([]);
  });

  it("gives up on a relay that accepts the connection and never speaks, within the send's deadline", async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => {
      held.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => held.delete(socket));
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const send = smtpSender(`smtp://127.0.0.1:${port}?ignoreTLS=true`, "BVRAI <no-reply@bvrai.test>", 500);
      await expect(send({ to: "owner@example.com", subject: "s", text: "t" })).rejects.toThrow(
        /did not take the message within 500 ms/,
      );
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
