package org.classtop.api.agent;

/**
 * Supplies one section of the data an agent in the dual mode ({@code --connection-mode both}) sends to the
 * management server with {@code POST /api/sync} every {@code --sync-interval} seconds, e.g. {@code settings},
 * {@code courses} or {@code schedules}. Declared in {@code AgentPlugin.configure()} with
 * {@code sync("courses", CoursesSync.class)}; one plugin per name (a second one fails to start, naming the first).
 *
 * <p>{@link #syncData()} answers a JSON-able value: a {@code Map}, a {@code List}, a string, number or boolean
 * (nested freely). It runs on the agent's sync thread, never on the WebSocket's, and may read files. A provider
 * that throws is left out of that sync (logged), the others still go; one that answers {@code null} has nothing
 * to say this time (e.g. its data file is missing) and is left out too, so the centre keeps what it had. A section
 * no plugin provides is never sent (an empty list would wipe data synced earlier). The names {@code client_uuid},
 * {@code timestamp} and {@code sync_id} are the request's own and cannot be used.
 */
@FunctionalInterface
public interface SyncProvider {
    Object syncData() throws Exception;
}
