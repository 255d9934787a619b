import { sql } from "drizzle-orm";
import { chunkText } from "../../core/knowledge/chunk";
import { sandboxEmbedder } from "../../core/knowledge/embeddings";
import { createNodeDb } from "../../db/node-client";
import { createKnowledgeBase } from "../../db/queries/knowledge";
import { searchKnowledge } from "../../db/queries/knowledge-search";
import { kbChunks, kbDocuments } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { corpus, questions } from "../fixtures/knowledge-corpus";
import { freshDatabase } from "../support/databases";
import { seedTenant } from "../support/seed";

/**
 * `npm run bench:retrieval`: the knowledge lookup a call makes before a reply (embed the caller's
 * words, hybrid search), over knowledge bases of growing size, with a bare tenant-scoped query
 * (`select 1` in the same transaction wrapper) measured in the same run as the floor. The salon
 * corpus is hidden among filler documents; the 20 questions must still find their passage first.
 */
const sizes = (process.env.BENCH_CHUNKS ?? "1000,5000,20000").split(",").map(Number);
const rounds = Number(process.env.BENCH_QUERIES ?? 200);
const { ownerUrl, appUrl } = await freshDatabase("bvrai_bench_kb");
const db = createNodeDb(appUrl, { max: 4 });
const t = await seedTenant(ownerUrl);
const words =
  "account address answer appointment balance bill booking branch card change charge check class contract course delivery deposit discount driver email event fee form gift group guide hour invoice item kit lesson list locker map member menu note offer order package pass plan point policy price program receipt refund rental report room route schedule seat service session shift size slot space staff store studio support table team term ticket time tour trip unit visit voucher week".split(
    " ",
  );
const filler = (i: number) =>
  `${Array.from({ length: 120 }, (_, j) => words[(i * 31 + j * 17 + ((i * j) % 7)) % words.length]).join(" ")}.`;
const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function fill(kbId: string, chunks: number) {
  const have = Number(
    (
      (await withTenant(db, t.tenantId, (tx) =>
        tx.execute(sql`select count(*)::int as n from kb_chunks where knowledge_base_id = ${kbId}`),
      )) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n,
  );
  const texts = Array.from({ length: chunks - have }, (_, i) => filler(have + i));
  const docs = have === 0 ? corpus.map((d) => ({ name: d.name, text: chunkText(d.text)[0]! })) : [];
  const all = [
    ...docs.map((d) => ({ name: d.name, text: d.text })),
    ...texts.map((text, i) => ({ name: `filler-${have + i}.txt`, text })),
  ];
  for (let i = 0; i < all.length; i += 500) {
    const batch = all.slice(i, i + 500);
    const vectors = await sandboxEmbedder.embed(batch.map((b) => b.text));
    await withTenant(db, t.tenantId, async (tx) => {
      const inserted = await tx
        .insert(kbDocuments)
        .values(
          batch.map((b) => ({
            tenantId: t.tenantId,
            knowledgeBaseId: kbId,
            name: b.name,
            kind: "text" as const,
            sizeBytes: b.text.length,
            source: b.text,
            status: "ready" as const,
            chunks: 1,
          })),
        )
        .returning({ id: kbDocuments.id });
      await tx.insert(kbChunks).values(
        inserted.map((d, j) => ({
          tenantId: t.tenantId,
          knowledgeBaseId: kbId,
          documentId: d.id,
          ordinal: 0,
          content: batch[j]!.text,
          embedding: vectors[j]!,
        })),
      );
    });
  }
  await withTenant(db, t.tenantId, (tx) => tx.execute(sql`analyze kb_chunks`)).catch(() => {});
}

const kb = await createKnowledgeBase(db, { tenantId: t.tenantId, name: "bench" });
console.log(
  `knowledge retrieval: ${rounds} lookups per size, SANDBOX embeddings (local), exact vector scan (no pgvector here)\n`,
);
console.log(
  ["chunks", "floor p50", "embed p50", "search p50", "search p95", "search p99", "first-rank hits"].join("\t"),
);
for (const size of sizes) {
  await fill(kb.id, size);
  const floor: number[] = [];
  const embed: number[] = [];
  const search: number[] = [];
  let hits = 0;
  for (let i = 0; i < rounds; i++) {
    const q = questions[i % questions.length]!;
    let at = performance.now();
    await withTenant(db, t.tenantId, (tx) => tx.execute(sql`select 1`));
    floor.push(performance.now() - at);
    at = performance.now();
    const [embedding] = await sandboxEmbedder.embed([q.question]);
    embed.push(performance.now() - at);
    at = performance.now();
    const found = await searchKnowledge(db, {
      tenantId: t.tenantId,
      knowledgeBaseIds: [kb.id],
      text: q.question,
      embedding: embedding!,
    });
    search.push(performance.now() - at);
    if (i < questions.length && found[0]?.document === q.document) hits++;
  }
  console.log(
    [
      size,
      ms(pct(floor, 50)),
      ms(pct(embed, 50)),
      ms(pct(search, 50)),
      ms(pct(search, 95)),
      ms(pct(search, 99)),
      `${hits}/${questions.length}`,
    ].join("\t"),
  );
}
console.log(
  "\nThe call's budget for a lookup is 700 ms (RETRIEVAL_DEADLINE_MS); a real embedding request adds its network time.",
);
await db.$pool.end();
