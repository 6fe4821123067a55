package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    private static ReconnectPolicy policy(double random) {
        return new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30), () -> random);
    }

    @Test
    void theCeilingDoublesUpToTheCap() {
        ReconnectPolicy policy = policy(0.999_999);
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000};
        for (long ceiling : expected) {
            assertEquals(Duration.ofMillis(ceiling), policy.ceiling());
            assertEquals(ceiling, policy.nextDelay().toMillis(), 1);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ofSeconds(60), policy.nextDelay(), "never above the cap, however many failures");
        }
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeiling() {
        Random random = new Random(42);
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), random::nextDouble);
        for (int i = 0; i < 1_000; i++) {
            Duration ceiling = policy.ceiling();
            Duration delay = policy.nextDelay();
            assertTrue(!delay.isNegative() && delay.compareTo(ceiling) <= 0, delay + " within [0, " + ceiling + "]");
        }
        assertEquals(Duration.ZERO, policy(0.0).nextDelay(), "full jitter may retry at once");
    }

    @Test
    void aStableConnectionResetsTheBackoffAShortOneDoesNot() {
        ReconnectPolicy policy = policy(0.5);
        policy.nextDelay();
        policy.nextDelay();
        policy.nextDelay();
        assertEquals(Duration.ofSeconds(8), policy.ceiling());

        policy.connectionEnded(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(8), policy.ceiling(), "5 s is not stable");

        policy.connectionEnded(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(1), policy.ceiling());
        assertEquals(Duration.ofMillis(500), policy.nextDelay());
    }

    @Test
    void afterLosingAStableServerTheWaitStaysShortForTwoMinutesThenGrowsToTheCap() {
        long[] now = {0};
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), () -> 0.999_999, () -> now[0]);
        policy.connectionEnded(Duration.ofHours(3)); // the server went away (killed, restarting)
        long waited = 0;
        long[] expected = {1_000, 2_000, 4_000, 5_000, 5_000, 5_000};
        for (long ceiling : expected) {
            assertEquals(Duration.ofMillis(ceiling), policy.ceiling(), "ceiling after " + waited + " ms");
            long delay = policy.nextDelay().toMillis();
            waited += delay;
            now[0] += delay * 1_000_000L;
        }
        assertTrue(waited < 23_000, "a server back after 20 s is found within one quick wait: " + waited);

        now[0] += ReconnectPolicy.QUICK_WINDOW.toNanos();
        assertTrue(policy.ceiling().compareTo(Duration.ofSeconds(5)) > 0, "a server still down after the window: the "
                + "full backoff resumes, " + policy.ceiling());
        for (int i = 0; i < 20; i++) {
            policy.nextDelay();
        }
        assertEquals(Duration.ofSeconds(60), policy.ceiling());
    }

    @Test
    void aServerThatSaysItIsRestartingResetsTheBackoffEvenAfterAShortConnection() {
        long[] now = {0};
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), () -> 0.5, () -> now[0]);
        for (int i = 0; i < 8; i++) {
            policy.nextDelay();
        }
        assertEquals(Duration.ofSeconds(60), policy.ceiling());
        policy.connectionEnded(Duration.ofSeconds(2));
        policy.serverRestarting();
        assertEquals(Duration.ofSeconds(1), policy.ceiling());
        assertEquals(Duration.ofMillis(500), policy.nextDelay(), "jittered, never all at once");
    }

    @Test
    void aServerNeverReachedKeepsTheFullBackoff() {
        ReconnectPolicy policy = policy(0.999_999);
        for (int i = 0; i < 10; i++) {
            policy.nextDelay();
        }
        assertEquals(Duration.ofSeconds(60), policy.ceiling(), "no quick window without a lost connection");
    }

    @Test
    void rejectsABaseAboveTheCap() {
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
