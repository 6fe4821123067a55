package org.classtop.testing.lane;

import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.AgentInfo;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import org.classtop.api.server.ServerPlugin;

/** A plugin "lanetest" with both sides, whose parts tests reach through shared probes. */
final class LanePlugins {
    private LanePlugins() {
    }

    /** What the server side received. */
    static final class Received {
        final List<String> live = new ArrayList<>();
        final List<String> liveClients = new ArrayList<>();
        final Map<Long, MessageDigest> digests = new ConcurrentHashMap<>();
        final Map<Long, AtomicLong> bytes = new ConcurrentHashMap<>();
        final Map<Long, String> ended = new ConcurrentHashMap<>();
        final Map<Long, String> aborted = new ConcurrentHashMap<>();
        final ByteArrayOutputStream small = new ByteArrayOutputStream();
        /** Counted down when a receiver call starts waiting on {@link #release}. */
        volatile CountDownLatch waiting = new CountDownLatch(0);
        volatile CountDownLatch release = new CountDownLatch(0);
        /** Live frames or transfer bytes after which the receiver pauses once (-1: never). */
        volatile long pauseAfterBytes = -1;
        volatile boolean pauseOnFirstLive;
        volatile String failChunksWith;

        synchronized List<String> live() {
            return List.copyOf(live);
        }

        synchronized List<String> liveClients() {
            return List.copyOf(liveClients);
        }

        void pause() {
            waiting.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released the receiver");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Receiver implements AgentStreamReceiver {
        private final Received received;

        @Inject
        Receiver(Received received) {
            this.received = received;
        }

        @Override
        public void onLiveFrame(String clientUuid, String stream, byte[] frame) {
            synchronized (received) {
                received.live.add(stream + ":" + new String(frame, java.nio.charset.StandardCharsets.UTF_8));
                received.liveClients.add(clientUuid);
            }
            if (received.pauseOnFirstLive) {
                received.pauseOnFirstLive = false;
                received.pause();
            }
        }

        @Override
        public void onTransferChunk(AgentTransfer transfer, byte[] chunk) throws Exception {
            if (received.failChunksWith != null) {
                throw new IllegalStateException(received.failChunksWith);
            }
            received.digests.computeIfAbsent(transfer.id(), id -> sha256()).update(chunk);
            long total = received.bytes.computeIfAbsent(transfer.id(), id -> new AtomicLong()).addAndGet(chunk.length);
            if (received.pauseAfterBytes >= 0 && total >= received.pauseAfterBytes) {
                received.pauseAfterBytes = -1;
                received.pause();
            }
        }

        @Override
        public void onTransferEnd(AgentTransfer transfer) {
            MessageDigest digest = received.digests.computeIfAbsent(transfer.id(), id -> sha256());
            received.ended.put(transfer.id(), transfer.clientUuid() + " " + transfer.stream() + " "
                    + HexFormat.of().formatHex(digest.digest()));
        }

        @Override
        public void onTransferAbort(AgentTransfer transfer, String reason) {
            received.aborted.put(transfer.id(), reason);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Server extends ServerPlugin {
        private final Received received;

        Server(Received received) {
            this.received = received;
        }

        @Override
        protected void configure() {
            install(binder -> binder.bind(Received.class).toInstance(received));
            agentStreams("*").to(Receiver.class);
        }
    }

    /** What the agent side handed out: its services, injected into a lifecycle. */
    static final class AgentSide {
        volatile BinaryStreams streams;
        volatile Scheduler scheduler;
        volatile AgentInfo info;
        volatile AgentContext context;
    }

    static final class Grab implements Lifecycle {
        private final AgentSide side;
        private final BinaryStreams streams;
        private final Scheduler scheduler;
        private final AgentInfo info;
        private final AgentContext context;

        @Inject
        Grab(AgentSide side, BinaryStreams streams, Scheduler scheduler, AgentInfo info, AgentContext context) {
            this.side = side;
            this.streams = streams;
            this.scheduler = scheduler;
            this.info = info;
            this.context = context;
        }

        @Override
        public void start() {
            side.streams = streams;
            side.scheduler = scheduler;
            side.info = info;
            side.context = context;
        }
    }

    static final class Ping implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return Map.of("pong", true);
        }
    }

    static final class Agent extends AgentPlugin {
        private final AgentSide side;

        Agent(AgentSide side) {
            this.side = side;
        }

        @Override
        protected void configure() {
            install(binder -> binder.bind(AgentSide.class).toInstance(side));
            command("ping").to(Ping.class);
            lifecycle(Grab.class);
        }
    }
}
