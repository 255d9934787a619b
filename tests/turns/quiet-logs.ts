// Imported first by the benchmark: the relay's per-call info logs would bury its table (LOG_LEVEL still wins).
process.env.LOG_LEVEL ??= "warn";
