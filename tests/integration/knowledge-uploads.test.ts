import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { knowledgeFormAction } from "../../app/knowledge/knowledge-form.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { sandboxEmbedder } from "../../core/knowledge/embeddings";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createKnowledgeBase, type KbIngestJob, listDocuments, startProcessing } from "../../db/queries/knowledge";
import { searchKnowledge } from "../../db/queries/knowledge-search";
import { documentUpload, retryDocument } from "../../db/queries/knowledge-uploads";
import { queues } from "../../db/queue";
import { startTestJobsWorker } from "../support/jobs";
import { deflateBombPdf, manyPagesPdf, nestedFormsPdf, pdfWithText } from "../support/pdf";
import { ownerQuery, seedTenant } from "../support/seed";
import { eventually } from "../support/wait";

let db: NodeDb;
const keys = { PII_ENCRYPTION_KEYS: generatePiiKey("kbup"), PII_BLIND_INDEX_KEY: `bi-${crypto.randomUUID()}` };
const pii = createPiiCipher({ keys: keys.PII_ENCRYPTION_KEYS, blindIndexKey: keys.PII_BLIND_INDEX_KEY });
const ownerUrl = () => inject("ownerUrl");
beforeAll(() => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
});
afterAll(() => db?.$pool.end());

async function knowledgeBase() {
  const t = await seedTenant(ownerUrl());
  return { tenantId: t.tenantId, kbId: (await createKnowledgeBase(db, { tenantId: t.tenantId, name: "Handbook" })).id };
}
/** The portal's form post, as the browser sends it. */
function upload(name: string, bytes: Uint8Array<ArrayBuffer> | string) {
  const form = new FormData();
  form.append("file", new File([bytes], name));
  form.append("intent", "upload");
  return new Request("http://portal.test/knowledge/kb", { method: "POST", body: form });
}
const post = (fields: Record<string, string>) =>
  new Request("http://portal.test/knowledge/kb", { method: "POST", body: new URLSearchParams(fields) });
/** A request whose body is pulled chunk by chunk, counting how many chunks the server asked for. */
function trickle(headers: Record<string, string>, chunks: (i: number) => Uint8Array | null) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks(pulled);
        if (chunk) controller.enqueue(chunk);
        else controller.close();
        pulled++;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    request: new Request("http://portal.test/knowledge/kb", {
      method: "POST",
      headers,
      body,
      duplex: "half",
    } as RequestInit),
    pulled: () => pulled,
  };
}
const documents = (t: { tenantId: string; kbId: string }) =>
  listDocuments(db, { tenantId: t.tenantId, knowledgeBaseId: t.kbId });
const byName = async (t: { tenantId: string; kbId: string }, name: string) =>
  (await documents(t)).find((d) => d.name === name)!;

describe("knowledge uploads: the web request only stores them", () => {
  it("stores an upload sealed and queued, and answers before anything reads it", async () => {
    const t = await knowledgeBase();
    // Reading this one would take days: the action finishing is the proof that it does not read it.
    const result = await knowledgeFormAction({ db, pii }, upload("loop.pdf", nestedFormsPdf()), t);
    expect(result).toMatchObject({ added: "loop.pdf", error: null, status: 200 });
    const [doc] = await documents(t);
    expect(doc).toMatchObject({ name: "loop.pdf", kind: "pdf", status: "queued", chunks: null });
    const [row] = await ownerQuery<{ source: string; sealed: Buffer; jobs: number }>(
      ownerUrl(),
      "select d.source, u.sealed, (select count(*)::int from pgboss.job j where j.name = $2 and j.data->>'documentId' = d.id::text) as jobs from kb_documents d join kb_uploads u on u.document_id = d.id where d.id = $1",
      [doc!.id, queues.kbIngest],
    );
    expect(row).toMatchObject({ source: "", jobs: 1 });
    expect(row!.sealed.includes("%PDF")).toBe(false); // sealed, not the file in clear
    expect(await documentUpload(db, pii, { tenantId: t.tenantId, documentId: doc!.id })).toEqual(nestedFormsPdf());
    // Another team reaches neither the file nor the document, nor this knowledge base.
    const other = await knowledgeBase();
    expect(await documentUpload(db, pii, { tenantId: other.tenantId, documentId: doc!.id })).toBeNull();
    expect(await retryDocument(db, { tenantId: other.tenantId, id: doc!.id })).toBe(false);
    expect(
      await knowledgeFormAction({ db, pii }, upload("x.txt", "x"), { tenantId: other.tenantId, kbId: t.kbId }),
    ).toBeNull();
    await knowledgeFormAction({ db, pii }, post({ intent: "delete-document", documentId: doc!.id }), t);
    expect(await documents(t)).toEqual([]);
  });

  it("refuses a file by its declared size, its growing size, its name or its first bytes, before reading the rest", async () => {
    const t = await knowledgeBase();
    const mb = new Uint8Array(64 * 1024).fill(97);
    const declared = trickle(
      { "content-type": "multipart/form-data; boundary=b", "content-length": String(100 * 1024 * 1024) },
      () => mb,
    );
    expect(await knowledgeFormAction({ db, pii }, declared.request, t)).toMatchObject({
      status: 413,
      error: expect.stringMatching(/larger than 5 MB/),
    });
    expect(declared.pulled()).toBe(0);

    const paste = trickle(
      { "content-type": "application/x-www-form-urlencoded", "content-length": String(20 * 1024 * 1024) },
      () => mb,
    );
    expect(await knowledgeFormAction({ db, pii }, paste.request, t)).toMatchObject({
      status: 413,
      error: "At most 1,000,000 characters; split it",
    });
    expect(paste.pulled()).toBe(0);

    const head = (name: string) =>
      new TextEncoder().encode(`--b\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`);
    const endless = trickle({ "content-type": "multipart/form-data; boundary=b" }, (i) =>
      i === 0 ? head("big.txt") : mb,
    );
    expect(await knowledgeFormAction({ db, pii }, endless.request, t)).toMatchObject({
      status: 413,
      error: "big.txt is larger than 5 MB; split it into smaller files",
    });
    expect(endless.pulled()).toBeLessThan(100); // 5 MB is 80 chunks of 64 kB: the rest was never asked for

    const sheet = trickle({ "content-type": "multipart/form-data; boundary=b" }, (i) =>
      i === 0 ? head("sheet.xlsx") : mb,
    );
    expect(await knowledgeFormAction({ db, pii }, sheet.request, t)).toMatchObject({
      status: 400,
      error: "sheet.xlsx: upload .txt, .md, .html or .pdf files",
    });
    expect(sheet.pulled()).toBeLessThan(5); // the part's headers and what the parser buffers ahead, not the file

    const fake = trickle({ "content-type": "multipart/form-data; boundary=b" }, (i) =>
      i === 0 ? head("scan.pdf") : mb,
    );
    expect(await knowledgeFormAction({ db, pii }, fake.request, t)).toMatchObject({
      status: 400,
      error: "scan.pdf is not a PDF (it does not start like one)",
    });
    expect(fake.pulled()).toBeLessThan(5);

    const garbled = trickle({ "content-type": "multipart/form-data; boundary=b" }, (i) =>
      i === 0 ? new TextEncoder().encode("--b\r\nno headers here") : null,
    );
    expect(await knowledgeFormAction({ db, pii }, garbled.request, t)).toMatchObject({
      status: 400,
      error: "The form could not be read; try again",
    });
    expect(await knowledgeFormAction({ db, pii }, upload("empty.md", ""), t)).toMatchObject({
      status: 400,
      error: "empty.md is empty",
    });
    expect(await documents(t)).toEqual([]);
  });
});

describe("knowledge uploads: the jobs process reads them within budgets", () => {
  it("fails a deflate bomb, a PDF that loops the parser and one of 2,500 pages with the reason, reads the rest, and keeps serving", {
    timeout: 300_000,
  }, async () => {
    const t = await knowledgeBase();
    const worker = await startTestJobsWorker(inject("appUrl"), {
      ...keys,
      KB_READ_SECONDS: "10",
      KB_READ_MEMORY_MB: "320",
    });
    try {
      // The HTML and Markdown froze the web process for minutes before their clean-up was linear.
      const files: [string, Uint8Array<ArrayBuffer> | string][] = [
        ["bomb.pdf", deflateBombPdf(1)],
        ["loop.pdf", nestedFormsPdf()],
        ["pages.pdf", manyPagesPdf(2_500)],
        ["freeze.html", `<h1>Parking</h1><p>Park behind the salon &#x110000;</p>${"<a".repeat(1_000_000)}`],
        ["freeze.md", `# Colour\n\nBalayage takes three hours.\n\n${"![".repeat(200_000)}`],
        ["menu.pdf", pdfWithText("Haircut prices start at 35 dollars")],
      ];
      for (const [name, bytes] of files)
        expect(await knowledgeFormAction({ db, pii }, upload(name, bytes), t)).toMatchObject({ added: name });
      await eventually(
        async () => (await documents(t)).every((d) => d.status === "ready" || d.status === "failed"),
        240_000,
        "every upload read or refused",
      );
      expect(await byName(t, "bomb.pdf")).toMatchObject({
        status: "failed",
        error: expect.stringMatching(
          /bomb\.pdf (needs more than 320 MB of memory|took longer than 10 seconds) to read/,
        ),
      });
      expect(await byName(t, "loop.pdf")).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/loop\.pdf took longer than 10 seconds to read/),
      });
      expect(await byName(t, "pages.pdf")).toMatchObject({
        status: "failed",
        error: "pages.pdf has 2,500 pages; at most 2,000 are read, so split it",
      });
      for (const name of ["freeze.html", "freeze.md", "menu.pdf"])
        expect(await byName(t, name), name).toMatchObject({ status: "ready", error: null });
      // Searchable; the files read are gone, the refused ones kept (a retry reads them again).
      const search = (text: string) =>
        searchKnowledge(db, { tenantId: t.tenantId, knowledgeBaseIds: [t.kbId], text, embedding: null });
      expect((await search("haircut prices"))[0]?.document).toBe("menu.pdf");
      expect((await search("balayage"))[0]?.document).toBe("freeze.md");
      expect((await search("parking"))[0]).toMatchObject({
        document: "freeze.html",
        content: "Parking Park behind the salon \uFFFD",
      });
      const kept = await ownerQuery<{ name: string }>(
        ownerUrl(),
        "select d.name from kb_uploads u join kb_documents d on d.id = u.document_id where d.knowledge_base_id = $1 order by d.name",
        [t.kbId],
      );
      expect(kept.map((k) => k.name)).toEqual(["bomb.pdf", "loop.pdf", "pages.pdf"]);

      // The same worker goes on: a retried refusal is read again, a new upload becomes ready.
      const pages = await byName(t, "pages.pdf");
      expect(
        await knowledgeFormAction({ db, pii }, post({ intent: "retry-document", documentId: pages.id }), t),
      ).toMatchObject({ error: null });
      expect(
        await knowledgeFormAction({ db, pii }, upload("hours.md", "# Hours\n\nOpen Monday to Friday, 9 to 7."), t),
      ).toMatchObject({ added: "hours.md" });
      await eventually(
        async () =>
          (await byName(t, "hours.md"))?.status === "ready" && (await byName(t, "pages.pdf")).status === "failed",
        120_000,
        "the next upload",
      );
    } finally {
      await worker.stop();
    }
  });

  it("reads an upload again when the jobs process holding it died mid-read", { timeout: 120_000 }, async () => {
    const t = await knowledgeBase();
    await knowledgeFormAction({ db, pii }, upload("hours.txt", "Open nine to five."), t);
    // A process takes the job, marks the document processing, and is killed before it finishes.
    const doomed = new PgBoss({
      connectionString: inject("appUrl"),
      migrate: false,
      supervise: false,
      schedule: false,
    });
    await doomed.start();
    const [held] = await doomed
      .fetch<KbIngestJob>(queues.kbIngest, { batchSize: 50 })
      .then((jobs) => jobs.filter((j) => j.data.tenantId === t.tenantId));
    expect(held).toBeDefined();
    await startProcessing(db, held!.data);
    await doomed.stop({ graceful: false, wait: true });
    // Its lease runs out (as 10 minutes would), and the retry comes without the backoff's wait.
    await ownerQuery(
      ownerUrl(),
      "update pgboss.job set started_on = now() - interval '1 hour', retry_delay = 0, retry_backoff = false where id = $1",
      [held!.id],
    );
    expect((await documents(t))[0]).toMatchObject({ status: "processing" });

    const worker = await startTestJobsWorker(inject("appUrl"), keys);
    try {
      await eventually(async () => (await documents(t))[0]?.status === "ready", 90_000, "the retried read");
      const [job] = await ownerQuery<{ state: string; retry_count: number }>(
        ownerUrl(),
        "select state, retry_count from pgboss.job where id = $1",
        [held!.id],
      );
      expect(job).toMatchObject({ state: "completed" });
      expect(job!.retry_count).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.stop();
    }
    expect(
      (
        await searchKnowledge(db, {
          tenantId: t.tenantId,
          knowledgeBaseIds: [t.kbId],
          text: "nine to five",
          embedding: (await sandboxEmbedder.embed(["nine to five"]))[0]!,
        })
      )[0]?.document,
    ).toBe("hours.txt");
  });
});
