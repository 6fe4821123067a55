package org.classtop.core.storage;

class SqliteRepositoryTest extends RepositoryContract {
    @Override
    boolean postgres() {
        return false;
    }
}
