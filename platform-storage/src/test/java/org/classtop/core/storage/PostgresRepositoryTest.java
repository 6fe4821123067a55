package org.classtop.core.storage;

class PostgresRepositoryTest extends RepositoryContract {
    @Override
    boolean postgres() {
        return true;
    }
}
