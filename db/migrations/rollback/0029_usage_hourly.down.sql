-- Reverses 0029: the hourly usage roll-up (the usage records it summed stay; nothing is lost).
DROP TRIGGER IF EXISTS usage_records_hourly ON usage_records;
DROP TRIGGER IF EXISTS usage_records_hourly_truncate ON usage_records;
DROP FUNCTION IF EXISTS usage_hourly_follow();
DROP FUNCTION IF EXISTS usage_hourly_clear();
DROP TABLE IF EXISTS usage_hourly;
