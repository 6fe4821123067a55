package org.classtop.core.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    /** What the bus accepts from callers too (SPEC: letters, digits and . _ : -). */
    private static final Pattern ALLOWED = Pattern.compile("req_[0-9a-v]{9}[A-Za-z0-9_-]{16}");

    @Test
    void idsSortAsTheirTimesAndDoNotRepeatWithinAMillisecond() {
        long[] times = {0L, 1L, 31L, 32L, 1_700_000_000_000L, 1_700_000_000_001L, 1_800_000_000_000L, (1L << 45) - 1};
        String previous = null;
        for (long t : times) {
            String id = RequestIds.next(t);
            assertTrue(ALLOWED.matcher(id).matches(), id);
            if (previous != null) {
                // the time part decides: string order (SQLite's BINARY collation) is time order
                assertTrue(previous.substring(0, 13).compareTo(id.substring(0, 13)) < 0, previous + " then " + id);
            }
            previous = id;
        }
        Set<String> sameMillisecond = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            sameMillisecond.add(RequestIds.next(1_700_000_000_000L));
        }
        assertEquals(10_000, sameMillisecond.size());
    }

    @Test
    void theTimePartIsTheMillisecondsInBase32() {
        assertEquals("req_000000000", RequestIds.next(0).substring(0, 13));
        assertEquals("req_00000000v", RequestIds.next(31).substring(0, 13));
        assertEquals("req_000000010", RequestIds.next(32).substring(0, 13));
        assertEquals("req_vvvvvvvvv", RequestIds.next((1L << 45) - 1).substring(0, 13));
    }
}
