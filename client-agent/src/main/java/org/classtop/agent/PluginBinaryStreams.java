package org.classtop.agent;

import java.util.ArrayList;
import java.util.List;
import org.classtop.api.Registration;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.LiveStream;
import org.classtop.api.agent.Transfer;
import org.classtop.api.agent.TransferException;

/** The {@link BinaryStreams} of one plugin: names are prefixed with its id; closing it closes its streams. */
final class PluginBinaryStreams implements BinaryStreams, Registration {
    private final String pluginId;
    private final AgentBinaryLane lane;
    private final List<AutoCloseable> open = new ArrayList<>();
    private boolean closed;

    PluginBinaryStreams(String pluginId, AgentBinaryLane lane) {
        this.pluginId = pluginId;
        this.lane = lane;
    }

    @Override
    public synchronized LiveStream openLive(String name) {
        requireOpen();
        LiveStream stream = lane.openLive(pluginId, name);
        open.removeIf(AgentBinaryLane::isDone);
        open.add(stream);
        return stream;
    }

    @Override
    public synchronized Transfer openTransfer(String name) throws TransferException {
        requireOpen();
        Transfer transfer = lane.openTransfer(pluginId, name);
        open.removeIf(AgentBinaryLane::isDone); // keeps the list as short as what is open
        open.add(transfer);
        return transfer;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Plugin '" + pluginId + "' has stopped: it can open no streams.");
        }
    }

    /** The plugin stopped: its live streams close, its unfinished transfers are aborted. */
    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable stream : open) {
            try {
                stream.close();
            } catch (Exception ignored) {
                // LiveStream and Transfer do not throw on close
            }
        }
        open.clear();
    }
}
