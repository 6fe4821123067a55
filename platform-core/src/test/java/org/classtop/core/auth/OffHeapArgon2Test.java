package org.classtop.core.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class OffHeapArgon2Test {
    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** RFC 9106 section 5: m = 32 KiB, t = 3, p = 4, with a secret and associated data. */
    @Test
    void theTestVectorsOfRfc9106() {
        String[][] vectors = {
            {"0", "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"},
            {"1", "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"},
            {"2", "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"},
        };
        for (String[] vector : vectors) {
            byte[] tag = OffHeapArgon2.hash(Integer.parseInt(vector[0]), OffHeapArgon2.VERSION_13, 32, 3, 4,
                    filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32);
            assertEquals(vector[1], HexFormat.of().formatHex(tag), "type " + vector[0]);
        }
    }

    /** The same tags as Bouncy Castle's generator for every type, both versions and assorted costs and lengths. */
    @Test
    void theSameTagsAsBouncyCastle() {
        Random random = new Random(20261205);
        for (int run = 0; run < 60; run++) {
            int type = run % 3;
            int version = run % 2 == 0 ? OffHeapArgon2.VERSION_13 : OffHeapArgon2.VERSION_10;
            int lanes = 1 + random.nextInt(4);
            int memoryKib = 8 * lanes + random.nextInt(300);
            int iterations = 1 + random.nextInt(4);
            int tagLength = new int[] {4, 16, 32, 64, 65, 100, 128, 1000}[random.nextInt(8)];
            byte[] password = new byte[random.nextInt(40)];
            byte[] salt = new byte[8 + random.nextInt(24)];
            random.nextBytes(password);
            random.nextBytes(salt);
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKib)
                    .withIterations(iterations).withParallelism(lanes).withSalt(salt).build());
            byte[] expected = new byte[tagLength];
            generator.generateBytes(password, expected);
            String what = "type " + type + " v" + version + " m=" + memoryKib + " t=" + iterations + " p=" + lanes
                    + " length " + tagLength;
            assertArrayEquals(expected, OffHeapArgon2.hash(type, version, memoryKib, iterations, lanes, password, salt,
                    null, null, tagLength), what);
        }
    }

    /** The reason for this class: the 7 MiB of a password hash are not allocated on the Java heap. */
    @Test
    void aServerPasswordHashAllocatesAlmostNothingOnTheHeap() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] salt = filled(16, 7);
        byte[] password = "correct horse".getBytes();
        OffHeapArgon2.hash(OffHeapArgon2.ARGON2_ID, OffHeapArgon2.VERSION_13, PasswordHasher.MEMORY_KIB,
                PasswordHasher.ITERATIONS, 1, password, salt, null, null, 32); // loads the classes
        long before = threads.getCurrentThreadAllocatedBytes();
        OffHeapArgon2.hash(OffHeapArgon2.ARGON2_ID, OffHeapArgon2.VERSION_13, PasswordHasher.MEMORY_KIB,
                PasswordHasher.ITERATIONS, 1, password, salt, null, null, 32);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, "heap bytes allocated by one 7 MiB hash: " + allocated);
    }

    @Test
    void parametersOutsideRfc9106AreRefused() {
        byte[] salt = filled(16, 2);
        int[][] bad = {{3, 0x13, 64, 1, 1, 32}, {2, 0x11, 64, 1, 1, 32}, {2, 0x13, 15, 1, 2, 32},
            {2, 0x13, 64, 0, 1, 32}, {2, 0x13, 64, 1, 0, 32}, {2, 0x13, 64, 1, 1, 3}, {2, 0x13, 4 * 1024 * 1024, 1, 1, 32}};
        for (int[] p : bad) {
            assertThrows(IllegalArgumentException.class,
                    () -> OffHeapArgon2.hash(p[0], p[1], p[2], p[3], p[4], new byte[0], salt, null, null, p[5]),
                    Arrays.toString(p));
        }
    }
}
