package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.core.http.RetryLaterException;
import org.junit.jupiter.api.Test;

class LoginRateLimiterTest {
    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void fiveAttemptsAMinuteThenWaitAndARightPasswordDoesNotCount() {
        MutableClock clock = new MutableClock();
        LoginRateLimiter limiter = new LoginRateLimiter(clock);
        assertTrue(limiter.attempt("10.0.0.1", () -> true), "a right password gives its attempt back");
        for (int i = 0; i < LoginRateLimiter.MAX_ATTEMPTS; i++) {
            assertFalse(limiter.attempt("10.0.0.1", () -> false));
        }
        clock.now = clock.now.plusSeconds(20);
        RetryLaterException refused = assertThrows(RetryLaterException.class, () -> limiter.attempt("10.0.0.1", () -> true));
        assertEquals(429, refused.status());
        assertEquals("TOO_MANY_ATTEMPTS", refused.code());
        assertEquals(40, refused.retryAfterSeconds());
        assertTrue(refused.getMessage().contains("40 s"), refused.getMessage());
        assertTrue(limiter.attempt("10.0.0.2", () -> true), "other addresses are not affected");
        clock.now = clock.now.plus(LoginRateLimiter.WINDOW);
        assertTrue(limiter.attempt("10.0.0.1", () -> true));
    }

    @Test
    void aCheckThatCouldNotRunDoesNotCount() {
        LoginRateLimiter limiter = new LoginRateLimiter(new MutableClock());
        for (int i = 0; i < 10; i++) {
            assertThrows(IllegalStateException.class, () -> limiter.attempt("10.0.0.1", () -> {
                throw new IllegalStateException("busy");
            }));
        }
        assertFalse(limiter.attempt("10.0.0.1", () -> false));
    }

    @Test
    void attemptsArrivingAtOnceAreCountedBeforeTheirCheck() throws Exception {
        LoginRateLimiter limiter = new LoginRateLimiter(new MutableClock());
        int parallel = 100;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch allChecking = new CountDownLatch(LoginRateLimiter.MAX_ATTEMPTS);
        AtomicInteger checked = new AtomicInteger();
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return limiter.attempt("10.0.0.1", () -> {
                        checked.incrementAndGet();
                        allChecking.countDown();
                        try {
                            allChecking.await(10, java.util.concurrent.TimeUnit.SECONDS); // admitted checks overlap the others
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return false;
                    });
                }));
            }
            start.countDown();
            int refused = 0;
            for (Future<Boolean> result : results) {
                try {
                    result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof RetryLaterException, e.toString());
                    refused++;
                }
            }
            assertEquals(LoginRateLimiter.MAX_ATTEMPTS, checked.get());
            assertEquals(parallel - LoginRateLimiter.MAX_ATTEMPTS, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyAddressesForgetTheIdlestOneAtATimeSoAnActiveOneKeepsItsCount() {
        MutableClock clock = new MutableClock();
        LoginRateLimiter limiter = new LoginRateLimiter(clock);
        for (int i = 0; i < LoginRateLimiter.MAX_ATTEMPTS; i++) {
            limiter.attempt("victim", () -> false);
        }
        for (int i = 0; i < LoginRateLimiter.MAX_TRACKED * 2; i++) {
            limiter.attempt("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), () -> false);
            if (i % 1000 == 0) {
                assertThrows(RetryLaterException.class, () -> limiter.attempt("victim", () -> true), "still limited after " + i);
            }
            assertTrue(limiter.tracked() <= LoginRateLimiter.MAX_TRACKED);
        }
        assertEquals(LoginRateLimiter.MAX_TRACKED, limiter.tracked());
    }

    @Test
    void passwordsAreHashedWithArgon2AndChecked() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("$argon2id$"), hash);
        assertTrue(hasher.matches("correct horse battery", hash));
        assertTrue(!hasher.matches("wrong", hash));
        assertTrue(!hasher.matches("x", "not a hash"));
        long before = hasher.checks();
        assertFalse(hasher.matchesNoUser("correct horse battery"));
        assertEquals(before + 1, hasher.checks(), "an unknown user costs a check too");
    }

    @Test
    void whenEveryTurnIsTakenAHashWaitsBrieflyThenAnswers503() {
        Semaphore noTurns = new Semaphore(0);
        PasswordHasher hasher = new PasswordHasher(noTurns, Duration.ofMillis(50));
        RetryLaterException busy = assertThrows(RetryLaterException.class, () -> hasher.matches("a", "b"));
        assertEquals(503, busy.status());
        assertEquals("SERVER_BUSY", busy.code());
        assertThrows(RetryLaterException.class, () -> hasher.hash("a long passphrase"));
        noTurns.release();
        assertTrue(hasher.hash("a long passphrase").startsWith("$argon2id$"));
        assertEquals(1, noTurns.availablePermits(), "the turn is given back");
    }
}
