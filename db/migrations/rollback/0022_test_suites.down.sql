-- Reverses 0022: agent test suites, runs and results.
SELECT pgboss.delete_queue('test.run');
DROP TABLE IF EXISTS test_results;
DROP TABLE IF EXISTS test_runs;
DROP TABLE IF EXISTS test_suites;
