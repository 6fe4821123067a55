package org.classtop.core.storage;

class PostgresWriterTest extends WriterContract {
    @Override
    boolean postgres() {
        return true;
    }
}
