package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    /** How the server hashed passwords before Bouncy Castle: databases hold such hashes. */
    private static String password4j(String password, int memoryKib, int iterations, int lanes) {
        return Password.hash(password).addRandomSalt(16)
                .with(Argon2Function.getInstance(memoryKib, iterations, lanes, 32, Argon2.ID, 19)).getResult();
    }

    @Test
    void aHashMatchesItsPasswordAndAnUnknownUserCostsARealCheck() {
        PasswordHasher hasher = new PasswordHasher();
        assertEquals(0, hasher.checks(), "nothing is hashed or checked before the first use");
        String hash = hasher.hash("correct horse");
        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=7168,t=5,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertTrue(hasher.isCurrent(hash));
        assertFalse(hasher.isCurrent(password4j("correct horse", 19 * 1024, 2, 1)), "the costs before 2026-12");
        assertFalse(hasher.isCurrent(null));
        assertTrue(hasher.matches("correct horse", hash));
        assertFalse(hasher.matches("wrong horse", hash));
        assertFalse(hasher.matchesNoUser("correct horse"));
        assertFalse(hasher.matchesNoUser(null));
        assertEquals(4, hasher.checks(), "the unknown user's attempts ran a real Argon2 check each");
    }

    @Test
    void hashesOfPassword4jVerifyAndPassword4jVerifiesOurs() {
        PasswordHasher hasher = new PasswordHasher();
        String password = "Grüße, 密码 🐎 horse";
        String old = password4j(password, 19 * 1024, 2, 1);
        assertTrue(hasher.matches(password, old), old);
        assertFalse(hasher.matches(password + " ", old));

        String ours = hasher.hash(password);
        assertTrue(Password.check(password, ours).with(Argon2Function.getInstanceFromHash(ours)), ours);
        assertFalse(Password.check("Grüße", ours).with(Argon2Function.getInstanceFromHash(ours)));
    }

    @Test
    void theCostsAreReadFromTheStoredHash() {
        PasswordHasher hasher = new PasswordHasher();
        for (String hash : List.of(password4j("correct horse", 19 * 1024, 3, 1), password4j("correct horse", 12 * 1024, 3, 1),
                password4j("correct horse", 8 * 1024, 1, 2))) {
            assertTrue(hasher.matches("correct horse", hash), hash);
            assertFalse(hasher.matches("correct horsE", hash), hash);
        }
    }

    @Test
    void anythingButAWellFormedArgon2HashIsFalseNeverAnError() {
        PasswordHasher hasher = new PasswordHasher();
        String good = hasher.hash("correct horse");
        String head = good.substring(0, good.lastIndexOf('$'));
        List<String> bad = List.of("", "not a hash", "$", "$argon2id$", good.substring(0, good.length() - 10),
                good.substring(0, good.length() - 1), head, head + "$", good + "$", good + "=", " " + good,
                good.replace("$argon2id$", "$argon2x$"), good.replace("v=19", "v=20"), good.replace("v=19", "v=x"),
                good.replace("t=5", "t=0"), good.replace("p=1", "p=0"), good.replace("m=7168", "m=7"),
                good.replace("m=7168", "m=999999999"), good.replace("t=5", "t=999999999"),
                good.replace("m=7168,t=5", "t=5,m=7168"), head + "$A", head.substring(0, head.lastIndexOf('$')) + "$QUJD$" + good.substring(good.lastIndexOf('$') + 1),
                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
                "$pbkdf2-sha256$29000$N2ZMqVXKOcd4L0WIcY5RSg$ZZ4pPtZ4/5ZeD4zM7Wtu2w2Hm2wEGtY98Ma7zIG4Lbo");
        for (String hash : bad) {
            assertNotEquals(good, hash, "each bad string differs from the good one");
            assertFalse(hasher.matches("correct horse", hash), hash);
        }
        assertFalse(hasher.matches(null, good));
        assertFalse(hasher.matches("correct horse", null));
    }
}
