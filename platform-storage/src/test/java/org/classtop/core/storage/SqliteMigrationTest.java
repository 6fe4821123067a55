package org.classtop.core.storage;

class SqliteMigrationTest extends MigrationContract {
    @Override
    boolean postgres() {
        return false;
    }
}
