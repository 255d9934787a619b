-- Reverses 0025: uploads waiting to be read. Documents still queued from an upload then have no
-- file to read (their job marks them failed); run it once the kb.ingest queue is empty.
DROP TABLE IF EXISTS kb_uploads;
