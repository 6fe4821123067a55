package org.classtop.core.storage;

class SqliteWriterTest extends WriterContract {
    @Override
    boolean postgres() {
        return false;
    }
}
