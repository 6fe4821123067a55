package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
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
        assertEquals(Duration.ofMillis(550), policy.nextDelay(), "half way between the quick floor and the base");
    }

    @Test
    void afterLosingAStableServerTheWaitStaysShortForTwoMinutesThenGrowsToTheCap() {
        long[] now = {0};
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), () -> 0.999_999, () -> now[0]);
        policy.connectionEnded(Duration.ofHours(3)); // the server went away (killed, restarting)
        long waited = 0;
        long[] expected = {1_000, 2_000, 2_500, 2_500, 2_500, 2_500};
        for (long ceiling : expected) {
            assertEquals(Duration.ofMillis(ceiling), policy.ceiling(), "ceiling after " + waited + " ms");
            long delay = policy.nextDelay().toMillis();
            waited += delay;
            now[0] += delay * 1_000_000L;
        }
        assertEquals(13_000, waited, 6, "six attempts within 13 s: a server back after 10 s is found within one quick wait");

        now[0] += ReconnectPolicy.QUICK_WINDOW.toNanos();
        assertTrue(policy.ceiling().compareTo(ReconnectPolicy.QUICK_CAP) > 0, "a server still down after the window: "
                + "the full backoff resumes, " + policy.ceiling());
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
        assertEquals(Duration.ofMillis(550), policy.nextDelay(), "jittered, never all at once");
    }

    @Test
    void theFirstRetryAfterLosingTheServerComesWithinTheBaseButNeverAtOnce() {
        ReconnectPolicy soonest = policy(0.0);
        soonest.connectionEnded(Duration.ofHours(3));
        assertEquals(Duration.ofMillis(100), soonest.nextDelay(), "a tenth of the base");
        ReconnectPolicy latest = policy(1.0);
        latest.serverRestarting();
        assertEquals(Duration.ofSeconds(1), latest.nextDelay());
    }

    /**
     * 10,000 agents lose the same server, which listens again 5 s later: their first retries spread over
     * [floor, base], and they come back spread over the quick cap after it listens, never more than 8 % of them in
     * the same 100 ms (the server accepts them as they come instead of facing all at once).
     */
    @Test
    void tenThousandAgentsThatLostTheSameServerNeitherWaitNorStampede() {
        int agents = 10_000;
        long backAtMillis = 5_000;
        Random random = new Random(42);
        int[] firstRetries = new int[10];
        int[] arrivals = new int[(int) (ReconnectPolicy.QUICK_CAP.toMillis() / 100) + 1];
        for (int i = 0; i < agents; i++) {
            long[] now = {0};
            ReconnectPolicy policy = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
                    Duration.ofSeconds(30), random::nextDouble, () -> now[0]);
            policy.connectionEnded(Duration.ofHours(3));
            long at = policy.nextDelay().toMillis();
            assertTrue(at >= 100 && at <= 1_000, "first retry " + at + " ms");
            firstRetries[(int) Math.min(9, at / 100)]++;
            while (at < backAtMillis) {
                now[0] = at * 1_000_000L;
                at += policy.nextDelay().toMillis();
            }
            long after = at - backAtMillis;
            assertTrue(after <= ReconnectPolicy.QUICK_CAP.toMillis(), "back " + after + " ms after the server");
            arrivals[(int) (after / 100)]++;
        }
        assertEquals(0, firstRetries[0], "nobody retries within 100 ms");
        for (int bucket = 1; bucket < 10; bucket++) {
            assertTrue(firstRetries[bucket] < agents * 0.13, "first retries " + Arrays.toString(firstRetries));
        }
        for (int count : arrivals) {
            assertTrue(count < agents * 0.08, "arrivals per 100 ms after the server is back " + Arrays.toString(arrivals));
        }
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
