import { sql } from "drizzle-orm";
import { keywordQuery } from "../../core/knowledge/chunk";
import type { Embedder } from "../../core/knowledge/embeddings";
import { type Db, type Tx, withTenant } from "../tenant";

export type KnowledgeHit = { id: string; content: string; documentId: string; document: string; score: number };

/** Reciprocal-rank fusion's constant: a hit's share falls off gently with its rank in each list. */
const RRF_K = 60;
const CANDIDATES = 20;
/** An array as one Postgres array literal (Drizzle would spread a JS array into a list of parameters). */
const pgArray = (values: (string | number)[]) => `{${values.join(",")}}`;
let vectorColumn: Promise<boolean> | null = null;
/** Chunks an exact vector scan covers within the deadline; larger bases rerank keyword matches. */
const EXACT_SCAN_LIMIT = 2000;
const RERANK_POOL = 200;

async function chunkCount(tx: Tx, scope: ReturnType<typeof sql>) {
  const r = await tx.execute(sql`select count(*)::int as n from kb_chunks c where ${scope}`);
  return (r as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

/** Whether the migration found pgvector and added the indexed column; asked once per process. */
function hasVectorColumn(tx: Tx) {
  vectorColumn ??= tx
    .execute(
      sql`select exists (select 1 from information_schema.columns where table_name = 'kb_chunks' and column_name = 'embedding_vec') as present`,
    )
    .then((r) => Boolean((r as unknown as { rows: { present: boolean }[] }).rows[0]?.present))
    .catch((err) => {
      vectorColumn = null;
      throw err;
    });
  return vectorColumn;
}

/**
 * Hybrid retrieval over an agent's knowledge bases: the nearest chunks by embedding (pgvector's
 * index where present, else an exact scan of the stored vectors) fused with the best keyword
 * matches (Postgres full-text search) by reciprocal rank. Tenant-scoped like every query.
 */
export function searchKnowledge(
  db: Db,
  {
    tenantId,
    knowledgeBaseIds,
    text,
    embedding,
    limit = 3,
  }: { tenantId: string; knowledgeBaseIds: string[]; text: string; embedding: number[] | null; limit?: number },
): Promise<KnowledgeHit[]> {
  if (!knowledgeBaseIds.length) return Promise.resolve([]);
  return withTenant(db, tenantId, async (tx) => {
    const scope = sql`c.tenant_id = ${tenantId} and c.knowledge_base_id = any(${pgArray(knowledgeBaseIds)}::uuid[])`;
    const similarity = !embedding
      ? null
      : (await hasVectorColumn(tx))
        ? sql`-(c.embedding_vec <#> ${`[${embedding.join(",")}]`}::vector)`
        : sql`(select sum(a * b) from unnest(c.embedding, ${pgArray(embedding)}::real[]) as v(a, b))`;
    const words = keywordQuery(text);
    // Without pgvector the exact scan costs ~0.2 ms a chunk (bench:retrieval): above a few thousand
    // chunks it would miss the turn's deadline, so it ranks the best keyword matches instead.
    const exactScan = !similarity || (await hasVectorColumn(tx)) || (await chunkCount(tx, scope)) <= EXACT_SCAN_LIMIT;
    // Keyword matches are ranked once: the best RERANK_POOL of them, of which the top CANDIDATES vote.
    const keywordPool = words
      ? sql`select c.id, row_number() over (order by ts_rank_cd(c.tsv, q) desc) as r
            from kb_chunks c, to_tsquery('english', ${words}) q where ${scope} and c.tsv @@ q order by ts_rank_cd(c.tsv, q) desc limit ${RERANK_POOL}`
      : sql`select null::uuid as id, 0::bigint as r where false`;
    const narrowed = exactScan ? sql`` : sql`and c.id in (select id from keyword_pool)`;
    const semantic = similarity
      ? sql`select c.id, row_number() over (order by ${similarity} desc) as r from kb_chunks c where ${scope} and c.embedding is not null ${narrowed} order by ${similarity} desc limit ${CANDIDATES}`
      : sql`select null::uuid as id, 0::bigint as r where false`;
    const result = await tx.execute(sql`
      with keyword_pool as materialized (${keywordPool}),
        keyword as (select id, r from keyword_pool where r <= ${CANDIDATES}),
        semantic as (${semantic})
      select c.id, c.content, c.document_id as "documentId", d.name as document,
        (coalesce(1.0 / (${RRF_K} + s.r), 0) + coalesce(1.0 / (${RRF_K} + k.r), 0))::float8 as score
      from kb_chunks c
      join kb_documents d on d.id = c.document_id
      left join semantic s on s.id = c.id
      left join keyword k on k.id = c.id
      where (s.id is not null or k.id is not null) and ${scope}
      order by score desc, c.id
      limit ${limit}`);
    return (result as unknown as { rows: KnowledgeHit[] }).rows;
  });
}

/**
 * The lookup a conversation makes before a reply: the question embedded (best effort: keywords
 * alone if embedding fails), then the hybrid search. The embedder is chosen once, by the caller.
 */
export const knowledgeLookup =
  (db: Db, embedder: Embedder, scope: { tenantId: string; knowledgeBaseIds: string[] }) => async (query: string) => {
    const embedding = await embedder.embed([query]).then(
      (v) => v[0] ?? null,
      () => null,
    );
    return searchKnowledge(db, { ...scope, text: query, embedding });
  };
