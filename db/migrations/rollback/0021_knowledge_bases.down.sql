-- Reverses 0021: knowledge bases (the vector extension, if it was created, is left installed).
SELECT pgboss.delete_queue('kb.ingest');
SELECT pgboss.delete_queue('kb.ingest.dead');
DROP TABLE IF EXISTS kb_chunks;
DROP TABLE IF EXISTS kb_documents;
DROP TABLE IF EXISTS knowledge_bases;
ALTER TABLE agents DROP COLUMN IF EXISTS knowledge_base_ids, DROP COLUMN IF EXISTS retrieval_mode;
