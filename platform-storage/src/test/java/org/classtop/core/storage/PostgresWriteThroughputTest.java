package org.classtop.core.storage;

/** Prints Postgres write throughput; asserts nothing about time. */
class PostgresWriteThroughputTest extends WriteThroughputReport {
    @Override
    boolean postgres() {
        return true;
    }
}
