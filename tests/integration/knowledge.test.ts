import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DocumentError, extractDocument, MAX_DOCUMENT_BYTES } from "../../app/knowledge/extract.server";
import { failIngest, ingestDocument } from "../../app/knowledge/ingest.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import type { Embedder } from "../../core/knowledge/embeddings";
import { openaiEmbedder } from "../../core/knowledge/openai-embedder";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { AgentInputError, createAgent, updateAgent } from "../../db/queries/agents";
import { addDocument, createKnowledgeBase, listDocuments } from "../../db/queries/knowledge";
import { searchKnowledge } from "../../db/queries/knowledge-search";
import { startOpenAIFake } from "../fakes/openai";
import { corpus, questions } from "../fixtures/knowledge-corpus";
import { manyPagesPdf, pdfWithText } from "../support/pdf";
import { ownerQuery, seedTenant } from "../support/seed";

let db: NodeDb;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let embedder: Embedder;
const actor = { userId: null, ip: null };
const pii = createPiiCipher({ keys: generatePiiKey("kb1"), blindIndexKey: "bi-kb" });

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  openai = await startOpenAIFake({ apiKey: "sk-kb", reply: () => "" });
  embedder = openaiEmbedder({ apiKey: "sk-kb", baseURL: openai.baseURL });
});
afterAll(async () => {
  await openai?.stop();
  await db?.$pool.end();
});

const bytes = (s: string) => new TextEncoder().encode(s);

async function ingestAll(tenantId: string, knowledgeBaseId: string, docs: { name: string; text: string }[]) {
  for (const d of docs) {
    const { kind, text } = await extractDocument(d.name, bytes(d.text));
    const doc = await addDocument(db, {
      tenantId,
      knowledgeBaseId,
      name: d.name,
      kind,
      sizeBytes: d.text.length,
      source: text,
    });
    await ingestDocument({ db, pii, embedderFor: async () => embedder }, { tenantId, documentId: doc!.id });
  }
}

describe("knowledge bases", () => {
  it("read text, Markdown, HTML and PDF files, and refuse bad ones with a reason", async () => {
    expect(await extractDocument("hours.md", bytes("# Hours\n\n**Open** 9-5"))).toEqual({
      kind: "markdown",
      text: "Hours\n\nOpen 9-5",
    });
    expect(await extractDocument("page.html", bytes("<p>Hi &amp; welcome</p><script>x()</script>"))).toEqual({
      kind: "html",
      text: "Hi & welcome",
    });
    expect(await extractDocument("menu.pdf", pdfWithText("Haircut prices start at 35 dollars"))).toMatchObject({
      kind: "pdf",
      text: expect.stringContaining("Haircut prices start at 35 dollars"),
    });
    const refusals: [string, Uint8Array, RegExp][] = [
      ["empty.txt", bytes(""), /is empty/],
      ["big.txt", new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(65), /larger than 5 MB/],
      ["sheet.xlsx", bytes("x"), /upload \.txt, \.md, \.html or \.pdf/],
      ["fake.pdf", bytes("hello"), /is not a PDF/],
      ["broken.pdf", bytes("%PDF-1.4 garbage"), /could not be read as a PDF/],
      ["pages.pdf", manyPagesPdf(2_500), /has 2,500 pages; at most 2,000 are read/],
      ["latin1.txt", Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), /not UTF-8/],
      ["blank.html", bytes("<p> </p>"), /has no text/],
    ];
    for (const [name, data, message] of refusals)
      await expect(extractDocument(name, data), name).rejects.toThrow(message);
    await expect(extractDocument("x.txt", bytes(""))).rejects.toBeInstanceOf(DocumentError);
  });

  it("process documents in the job queue with a visible status; an embeddings outage ends in failed, with why", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const kb = await createKnowledgeBase(db, { tenantId: t.tenantId, name: "Handbook" });
    const doc = await addDocument(db, {
      tenantId: t.tenantId,
      knowledgeBaseId: kb.id,
      name: "a.txt",
      kind: "text",
      sizeBytes: 5,
      source: "Open nine to five.",
    });
    expect((await listDocuments(db, { tenantId: t.tenantId, knowledgeBaseId: kb.id }))[0]).toMatchObject({
      status: "queued",
    });
    const [job] = await ownerQuery<{ n: number }>(
      inject("ownerUrl"),
      "select count(*)::int as n from pgboss.job where name = 'kb.ingest' and data->>'documentId' = $1",
      [doc!.id],
    );
    expect(job!.n).toBe(1);
    const down: Embedder = {
      sandbox: false,
      model: "x",
      embed: () => Promise.reject(new Error("503 from embeddings")),
    };
    await expect(
      ingestDocument({ db, pii, embedderFor: async () => down }, { tenantId: t.tenantId, documentId: doc!.id }),
    ).rejects.toThrow(/503/);
    expect((await listDocuments(db, { tenantId: t.tenantId, knowledgeBaseId: kb.id }))[0]).toMatchObject({
      status: "processing",
    });
    await failIngest({ db, pii, embedderFor: async () => down }, { tenantId: t.tenantId, documentId: doc!.id });
    expect((await listDocuments(db, { tenantId: t.tenantId, knowledgeBaseId: kb.id }))[0]).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/embeddings service/),
    });
    // A retry that succeeds replaces whatever was half-done.
    await ingestDocument({ db, pii, embedderFor: async () => embedder }, { tenantId: t.tenantId, documentId: doc!.id });
    await ingestDocument({ db, pii, embedderFor: async () => embedder }, { tenantId: t.tenantId, documentId: doc!.id });
    expect((await listDocuments(db, { tenantId: t.tenantId, knowledgeBaseId: kb.id }))[0]).toMatchObject({
      status: "ready",
      chunks: 1,
      error: null,
    });
    const [chunks] = await ownerQuery<{ n: number }>(
      inject("ownerUrl"),
      "select count(*)::int as n from kb_chunks where document_id = $1",
      [doc!.id],
    );
    expect(chunks!.n).toBe(1);
  });

  it("retrieval: for each of 20 questions the right passage ranks first; other teams find nothing", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const kb = await createKnowledgeBase(db, { tenantId: t.tenantId, name: "Salon" });
    await ingestAll(t.tenantId, kb.id, corpus);
    expect(questions).toHaveLength(20);
    const misses: string[] = [];
    for (const q of questions) {
      const [embedding] = await embedder.embed([q.question]);
      const hits = await searchKnowledge(db, {
        tenantId: t.tenantId,
        knowledgeBaseIds: [kb.id],
        text: q.question,
        embedding: embedding!,
      });
      if (hits[0]?.document !== q.document)
        misses.push(`${q.question} → ${hits[0]?.document ?? "nothing"} (wanted ${q.document})`);
    }
    expect(misses).toEqual([]);
    // Keyword half alone (no embedding) and semantic half alone still find the passage.
    expect(
      (
        await searchKnowledge(db, {
          tenantId: t.tenantId,
          knowledgeBaseIds: [kb.id],
          text: "balayage",
          embedding: null,
        })
      )[0]?.document,
    ).toBe("colour.txt");
    const [e] = await embedder.embed(["wheelchair"]);
    expect(
      (await searchKnowledge(db, { tenantId: t.tenantId, knowledgeBaseIds: [kb.id], text: "", embedding: e! }))[0]
        ?.document,
    ).toBe("accessibility.txt");
    const other = await seedTenant(inject("ownerUrl"));
    expect(
      await searchKnowledge(db, {
        tenantId: other.tenantId,
        knowledgeBaseIds: [kb.id],
        text: "balayage",
        embedding: e!,
      }),
    ).toEqual([]);
    expect(
      await addDocument(db, {
        tenantId: other.tenantId,
        knowledgeBaseId: kb.id,
        name: "x.txt",
        kind: "text",
        sizeBytes: 1,
        source: "x",
      }),
    ).toBeNull();
    // Nor can another team's agent be pointed at this knowledge base; its own agent can.
    const agent = {
      name: "A",
      systemPrompt: "p",
      firstMessage: "",
      voice: "sandbox-alloy",
      model: "gpt-4o-mini",
      knowledgeBaseIds: [kb.id],
    };
    await expect(createAgent(db, { tenantId: other.tenantId, actor, ...agent })).rejects.toBeInstanceOf(
      AgentInputError,
    );
    await expect(
      updateAgent(db, { id: other.agentId, tenantId: other.tenantId, version: 1, actor, ...agent }),
    ).rejects.toThrow(/your own knowledge bases/);
    expect((await createAgent(db, { tenantId: t.tenantId, actor, ...agent })).knowledgeBaseIds).toEqual([kb.id]);
  });
});
