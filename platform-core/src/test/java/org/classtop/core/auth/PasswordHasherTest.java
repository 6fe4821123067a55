package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    @Test
    void aHashMatchesItsPasswordAndAnUnknownUserCostsARealCheck() {
        PasswordHasher hasher = new PasswordHasher();
        assertEquals(0, hasher.checks(), "nothing is hashed or checked before the first use");
        String hash = hasher.hash("correct horse");
        assertTrue(hash.startsWith("$argon2id$"), hash);
        assertTrue(hasher.matches("correct horse", hash));
        assertFalse(hasher.matches("wrong horse", hash));
        assertFalse(hasher.matchesNoUser("correct horse"));
        assertFalse(hasher.matchesNoUser(null));
        assertEquals(4, hasher.checks(), "the unknown user's attempts ran a real Argon2 check each");
    }
}
