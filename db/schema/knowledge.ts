import { sql } from "drizzle-orm";
import { customType, index, integer, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
/** Bytes as Postgres `bytea`; drivers hand back a Buffer or a Uint8Array, copied into a plain Uint8Array. */
const bytea = customType<{ data: Uint8Array<ArrayBuffer>; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => new Uint8Array(v),
});

export const knowledgeBases = pgTable(
  "knowledge_bases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("knowledge_bases_tenant_idx").on(t.tenantId), tenantPolicy(t.tenantId)],
);

export const documentStatuses = ["queued", "processing", "ready", "failed"] as const;

/**
 * One uploaded or pasted document; `source` is its text: pasted, or extracted by the `kb.ingest`
 * job from the upload (empty until then).
 */
export const kbDocuments = pgTable(
  "kb_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    knowledgeBaseId: uuid("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["text", "markdown", "html", "pdf"] }).notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    source: text("source").notNull(),
    status: text("status", { enum: documentStatuses }).notNull().default("queued"),
    error: text("error"),
    chunks: integer("chunks"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("kb_documents_base_idx").on(t.tenantId, t.knowledgeBaseId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

/**
 * Retrieval units. `embedding` is unit-length (so a dot product is the cosine); `tsv` is the
 * keyword index. Where pgvector exists the migration adds `embedding_vec`, an indexed copy.
 */
export const kbChunks = pgTable(
  "kb_chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    knowledgeBaseId: uuid("knowledge_base_id").notNull(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => kbDocuments.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    content: text("content").notNull(),
    embedding: real("embedding").array(),
    tsv: tsvector("tsv").generatedAlwaysAs(sql`to_tsvector('english', content)`),
    createdAt: createdAt(),
  },
  (t) => [
    index("kb_chunks_base_idx").on(t.tenantId, t.knowledgeBaseId),
    index("kb_chunks_tsv_idx").using("gin", t.tsv),
    tenantPolicy(t.tenantId),
  ],
);

/**
 * An uploaded file as it arrived, sealed with the PII key ring (bound to tenant, table, column and
 * document), until the job has read and indexed it: a failed read keeps it, so nothing is lost
 * (docs/decisions/0026).
 */
export const kbUploads = pgTable(
  "kb_uploads",
  {
    documentId: uuid("document_id")
      .primaryKey()
      .references(() => kbDocuments.id, { onDelete: "cascade" }),
    tenantId: tenantId(),
    sealed: bytea("sealed").notNull(),
    createdAt: createdAt(),
  },
  (t) => [tenantPolicy(t.tenantId)],
);
