package org.classtop.api.agent;

/**
 * The binary lane from this agent to the server: bytes that are not JSON (camera frames, recordings)
 * travel as binary WebSocket frames beside the commands, never delaying a command's answer or a
 * heartbeat. Injectable into any agent-side class of a plugin.
 *
 * <p>Stream names are the plugin's own: {@code openLive("preview.cam1")} in plugin {@code cctv-cameras}
 * is the stream {@code cctv-cameras.preview.cam1} on the wire, and only the server side of the same
 * plugin receives it (see {@code ServerPlugin.agentStreams}). A name is 1 to 190 characters of letters,
 * digits, {@code .}, {@code _} and {@code -}.
 *
 * <pre>{@code
 * LiveStream preview = streams.openLive("preview.cam1");
 * preview.offer(jpegBytes);                       // never blocks; a newer frame replaces an unsent one
 *
 * try (Transfer upload = streams.openTransfer("recording.42")) {
 *     upload.write(chunk, Duration.ofSeconds(30)); // waits for the server's credit, never buffers the file
 *     upload.finish();
 * }
 * }</pre>
 */
public interface BinaryStreams {
    /**
     * A stream of live frames where only the newest matters: {@link LiveStream#offer} never blocks, a frame
     * not sent yet is replaced by a newer one (counted in {@link LiveStream#dropped()}), and frames offered
     * while the agent is disconnected are dropped.
     */
    LiveStream openLive(String name);

    /**
     * A flow-controlled transfer (a file) on the current connection. Its writer waits for the server's
     * credit, so at most a bounded window of it is in memory. If the connection is lost, or the server
     * refuses it, the transfer is aborted and the next {@link Transfer#write} throws.
     *
     * @throws TransferException when the agent is not connected to the server (approved) right now
     */
    Transfer openTransfer(String name) throws TransferException;
}
