package org.classtop.plugins.cctv.recording.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.classtop.api.server.ApiException;
import org.junit.jupiter.api.Test;

/** The relay's download places: a viewer naming made-up client uuids leaves no counter behind. */
class RelayCountersTest {
    @Test
    void countersGoWhenTheirDownloadsEnd() {
        RecordingRelay relay = new RecordingRelay(null, null, null); // default bounds: 4 per client, 32 in all
        for (int i = 0; i < 1000; i++) {
            relay.reserve("made-up-" + i).run();
        }
        assertEquals(0, relay.agentsCounted(), "no entry per made-up uuid");
        assertEquals(0, relay.running());

        List<Runnable> places = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            places.add(relay.reserve("pc-1"));
        }
        ApiException full = assertThrows(ApiException.class, () -> relay.reserve("pc-1"));
        assertEquals("TOO_MANY_DOWNLOADS", full.code());
        assertEquals(1, relay.agentsCounted());
        places.get(0).run();
        places.get(0).run(); // giving a place back twice gives it back once
        places.add(relay.reserve("pc-1"));
        assertThrows(ApiException.class, () -> relay.reserve("pc-1"));
        places.forEach(Runnable::run);
        assertEquals(0, relay.agentsCounted());
        assertEquals(0, relay.running());
    }
}
