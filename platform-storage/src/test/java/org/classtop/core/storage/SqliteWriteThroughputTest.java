package org.classtop.core.storage;

/** Prints Sqlite write throughput; asserts nothing about time. */
class SqliteWriteThroughputTest extends WriteThroughputReport {
    @Override
    boolean postgres() {
        return false;
    }
}
