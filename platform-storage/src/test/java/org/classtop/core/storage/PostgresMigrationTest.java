package org.classtop.core.storage;

class PostgresMigrationTest extends MigrationContract {
    @Override
    boolean postgres() {
        return true;
    }
}
