package org.classtop.core.storage;

/** Told after each committed write transaction (metrics); called on the writer thread, so it must be quick. */
@FunctionalInterface
public interface CommitObserver {
    /**
     * @param writes the items the transaction took (failed items included)
     * @param nanos  from BEGIN to the end of COMMIT
     */
    void committed(int writes, long nanos);
}
