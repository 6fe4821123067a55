/**
 * The server's storage: {@link org.classtop.core.storage.PlatformDatabase} (SQLite in the data
 * folder or PostgreSQL; one group-committing writer thread; Flyway migrations per module under
 * {@code db/<module-id>/{common,sqlite,postgresql}} with a history table per module) and the
 * repositories of the core tables. Reads go through the pool, writes through
 * {@link org.classtop.core.storage.PlatformDatabase#write}; every write method returns a
 * {@link java.util.concurrent.CompletionStage} that completes once the change is committed.
 * Timestamps are stored as epoch milliseconds, JSON columns as text.
 */
package org.classtop.core.storage;
