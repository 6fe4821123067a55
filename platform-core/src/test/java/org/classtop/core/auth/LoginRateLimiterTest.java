package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    void fiveFailuresAMinuteThenWaitAndASuccessClears() {
        MutableClock clock = new MutableClock();
        LoginRateLimiter limiter = new LoginRateLimiter(clock);
        for (int i = 0; i < LoginRateLimiter.MAX_FAILURES; i++) {
            assertEquals(0, limiter.retryAfterSeconds("10.0.0.1"));
            limiter.failed("10.0.0.1");
        }
        assertTrue(limiter.retryAfterSeconds("10.0.0.1") > 0);
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.2"), "other addresses are not affected");
        clock.now = clock.now.plus(LoginRateLimiter.WINDOW).plus(Duration.ofSeconds(1));
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.1"));
        limiter.failed("10.0.0.1");
        limiter.succeeded("10.0.0.1");
        assertEquals(0, limiter.retryAfterSeconds("10.0.0.1"));
    }

    @Test
    void passwordsAreHashedWithArgon2AndChecked() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("$argon2id$"), hash);
        assertTrue(hasher.matches("correct horse battery", hash));
        assertTrue(!hasher.matches("wrong", hash));
        assertTrue(!hasher.matches("x", "not a hash"));
    }
}
