package org.classtop.core.auth;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argon2 (RFC 9106: argon2d, argon2i, argon2id, versions 0x10 and 0x13) whose memory blocks live outside the Java
 * heap, in one direct buffer given back to the system as soon as the hash is made.
 *
 * <p>Why not Bouncy Castle's generator, which this replaces: its 7 MiB of blocks are Java objects that outlive a young
 * collection while the hash runs, so the collector promotes them and they end as garbage in the old generation, whose
 * pages the small heap of this server keeps resident until the process ends (measured: a first start, which hashes
 * the generated admin's password, and the first sign-in each left about 7 MiB more resident memory). Here only six
 * 1 KiB working blocks are on the heap. Bouncy Castle still provides BLAKE2b.
 */
final class OffHeapArgon2 {
    static final int ARGON2_D = 0;
    static final int ARGON2_I = 1;
    static final int ARGON2_ID = 2;
    static final int VERSION_10 = 0x10;
    static final int VERSION_13 = 0x13;

    private static final Logger LOG = LoggerFactory.getLogger(OffHeapArgon2.class);
    private static final int BLOCK_LONGS = 128;
    private static final int BLOCK_BYTES = BLOCK_LONGS * Long.BYTES;
    private static final int SLICES = 4;
    private static final byte[] NONE = new byte[0];
    private static final long[] ZERO_BLOCK = new long[BLOCK_LONGS];
    /** {@code sun.misc.Unsafe.invokeCleaner}: frees a direct buffer now rather than after a collection; null if absent. */
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Argon2's memory is freed by the collector, not at once: {}", e.toString());
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private final int type;
    private final int version;
    private final int iterations;
    private final int lanes;
    /** Blocks per lane, and per segment (a quarter of a lane). */
    private final int laneLength;
    private final int segmentLength;
    private final int blockCount;
    private LongBuffer memory;

    private final long[] previous = new long[BLOCK_LONGS];
    private final long[] reference = new long[BLOCK_LONGS];
    private final long[] next = new long[BLOCK_LONGS];
    /** G's {@code x ^ y}, and the block a later pass XORs into. */
    private final long[] scratch = new long[BLOCK_LONGS];
    private final long[] addressInput = new long[BLOCK_LONGS];
    private final long[] addresses = new long[BLOCK_LONGS];

    private OffHeapArgon2(int type, int version, int memoryKib, int iterations, int lanes) {
        this.type = type;
        this.version = version;
        this.iterations = iterations;
        this.lanes = lanes;
        this.segmentLength = memoryKib / (SLICES * lanes);
        this.laneLength = segmentLength * SLICES;
        this.blockCount = laneLength * lanes;
    }

    /**
     * The tag of {@code password} (RFC 9106 section 3); {@code secret} and {@code associatedData} may be empty.
     *
     * @throws IllegalArgumentException for parameters RFC 9106 does not allow
     */
    static byte[] hash(int type, int version, int memoryKib, int iterations, int lanes, byte[] password, byte[] salt,
            byte[] secret, byte[] associatedData, int tagLength) {
        if (type < ARGON2_D || type > ARGON2_ID || (version != VERSION_10 && version != VERSION_13) || lanes < 1
                || lanes > 0xFFFFFF || memoryKib < 8 * lanes || iterations < 1 || tagLength < 4
                || (long) memoryKib * BLOCK_BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Argon2 parameters out of range");
        }
        OffHeapArgon2 argon2 = new OffHeapArgon2(type, version, memoryKib, iterations, lanes);
        byte[] h0 = argon2.h0(memoryKib, tagLength, password, salt, secret == null ? NONE : secret,
                associatedData == null ? NONE : associatedData);
        ByteBuffer buffer = ByteBuffer.allocateDirect(argon2.blockCount * BLOCK_BYTES).order(ByteOrder.nativeOrder());
        try {
            argon2.memory = buffer.asLongBuffer();
            argon2.fillFirstBlocks(h0);
            argon2.fillMemory();
            return argon2.tag(tagLength);
        } finally {
            argon2.memory = null;
            free(buffer);
        }
    }

    private static void free(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Freeing Argon2's memory at once failed; the collector will: {}", e.toString());
        }
    }

    /** H0: BLAKE2b-512 of the parameters and inputs, each length-prefixed. */
    private byte[] h0(int memoryKib, int tagLength, byte[] password, byte[] salt, byte[] secret, byte[] associatedData) {
        Blake2bDigest digest = new Blake2bDigest(512);
        for (int value : new int[] {lanes, tagLength, memoryKib, iterations, version, type}) {
            updateLe32(digest, value);
        }
        for (byte[] bytes : new byte[][] {password, salt, secret, associatedData}) {
            updateLe32(digest, bytes.length);
            digest.update(bytes, 0, bytes.length);
        }
        byte[] h0 = new byte[64];
        digest.doFinal(h0, 0);
        return h0;
    }

    private void fillFirstBlocks(byte[] h0) {
        byte[] input = new byte[h0.length + 8];
        System.arraycopy(h0, 0, input, 0, h0.length);
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                writeLe32(input, h0.length, column);
                writeLe32(input, h0.length + 4, lane);
                byte[] block = variableLengthHash(input, BLOCK_BYTES);
                for (int k = 0; k < BLOCK_LONGS; k++) {
                    next[k] = readLe64(block, k * Long.BYTES);
                }
                memory.put(blockIndex(lane, column) * BLOCK_LONGS, next);
            }
        }
    }

    private void fillMemory() {
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SLICES; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(pass, slice, lane);
                }
            }
        }
    }

    private void fillSegment(int pass, int slice, int lane) {
        boolean dataIndependent = type == ARGON2_I || (type == ARGON2_ID && pass == 0 && slice < SLICES / 2);
        int first = pass == 0 && slice == 0 ? 2 : 0;
        if (dataIndependent) {
            Arrays.fill(addressInput, 0L);
            addressInput[0] = pass;
            addressInput[1] = lane;
            addressInput[2] = slice;
            addressInput[3] = blockCount;
            addressInput[4] = iterations;
            addressInput[5] = type;
            if (first != 0) {
                nextAddresses();
            }
        }
        int column = slice * segmentLength + first;
        int previousColumn = column == 0 ? laneLength - 1 : column - 1;
        memory.get(blockIndex(lane, previousColumn) * BLOCK_LONGS, previous);
        for (int index = first; index < segmentLength; index++, column++) {
            long pseudoRandom;
            if (dataIndependent) {
                if (index % BLOCK_LONGS == 0) {
                    nextAddresses();
                }
                pseudoRandom = addresses[index % BLOCK_LONGS];
            } else {
                pseudoRandom = previous[0];
            }
            int referenceLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
            int referenceColumn = referenceColumn(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, referenceLane == lane);
            memory.get(blockIndex(referenceLane, referenceColumn) * BLOCK_LONGS, reference);
            compress(previous, reference, next);
            int at = blockIndex(lane, column) * BLOCK_LONGS;
            if (version != VERSION_10 && pass != 0) {
                memory.get(at, scratch);
                for (int k = 0; k < BLOCK_LONGS; k++) {
                    next[k] ^= scratch[k];
                }
            }
            memory.put(at, next);
            System.arraycopy(next, 0, previous, 0, BLOCK_LONGS);
        }
    }

    /** The column a block is computed from besides its predecessor (RFC 9106 section 3.4.2). */
    private int referenceColumn(int pass, int slice, int index, long j1, boolean sameLane) {
        long areaSize;
        if (pass == 0) {
            if (slice == 0) {
                areaSize = index - 1L;
            } else if (sameLane) {
                areaSize = (long) slice * segmentLength + index - 1;
            } else {
                areaSize = (long) slice * segmentLength + (index == 0 ? -1 : 0);
            }
        } else if (sameLane) {
            areaSize = (long) laneLength - segmentLength + index - 1;
        } else {
            areaSize = (long) laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        long x = (j1 * j1) >>> 32;
        long relative = areaSize - 1 - ((areaSize * x) >>> 32);
        long start = pass != 0 && slice != SLICES - 1 ? (long) (slice + 1) * segmentLength : 0;
        return (int) ((start + relative) % laneLength);
    }

    private void nextAddresses() {
        addressInput[6]++;
        compress(ZERO_BLOCK, addressInput, addresses);
        compress(ZERO_BLOCK, addresses, addresses);
    }

    /** G: {@code out = P(x ^ y) ^ x ^ y}, P a BLAKE2b round over the rows, then over the columns. */
    private void compress(long[] x, long[] y, long[] out) {
        long[] r = scratch;
        for (int k = 0; k < BLOCK_LONGS; k++) {
            r[k] = x[k] ^ y[k];
        }
        long[] q = out;
        System.arraycopy(r, 0, q, 0, BLOCK_LONGS);
        for (int i = 0; i < 8; i++) {
            int b = 16 * i;
            round(q, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
                    b + 14, b + 15);
        }
        for (int i = 0; i < 8; i++) {
            int b = 2 * i;
            round(q, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
                    b + 97, b + 112, b + 113);
        }
        for (int k = 0; k < BLOCK_LONGS; k++) {
            q[k] ^= r[k];
        }
    }

    private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8,
            int v9, int v10, int v11, int v12, int v13, int v14, int v15) {
        mix(v, v0, v4, v8, v12);
        mix(v, v1, v5, v9, v13);
        mix(v, v2, v6, v10, v14);
        mix(v, v3, v7, v11, v15);
        mix(v, v0, v5, v10, v15);
        mix(v, v1, v6, v11, v12);
        mix(v, v2, v7, v8, v13);
        mix(v, v3, v4, v9, v14);
    }

    /** BLAKE2b's G with Argon2's multiplication (BlaMka). */
    private static void mix(long[] v, int a, int b, int c, int d) {
        long va = v[a];
        long vb = v[b];
        long vc = v[c];
        long vd = v[d];
        va = blaMka(va, vb);
        vd = Long.rotateRight(vd ^ va, 32);
        vc = blaMka(vc, vd);
        vb = Long.rotateRight(vb ^ vc, 24);
        va = blaMka(va, vb);
        vd = Long.rotateRight(vd ^ va, 16);
        vc = blaMka(vc, vd);
        vb = Long.rotateRight(vb ^ vc, 63);
        v[a] = va;
        v[b] = vb;
        v[c] = vc;
        v[d] = vd;
    }

    private static long blaMka(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }

    /** H'(last blocks of all lanes XORed): the tag. */
    private byte[] tag(int tagLength) {
        memory.get(blockIndex(0, laneLength - 1) * BLOCK_LONGS, next);
        for (int lane = 1; lane < lanes; lane++) {
            memory.get(blockIndex(lane, laneLength - 1) * BLOCK_LONGS, reference);
            for (int k = 0; k < BLOCK_LONGS; k++) {
                next[k] ^= reference[k];
            }
        }
        byte[] bytes = new byte[BLOCK_BYTES];
        for (int k = 0; k < BLOCK_LONGS; k++) {
            writeLe64(bytes, k * Long.BYTES, next[k]);
        }
        return variableLengthHash(bytes, tagLength);
    }

    private int blockIndex(int lane, int column) {
        return lane * laneLength + column;
    }

    /** H' (RFC 9106 section 3.3): BLAKE2b stretched to {@code length} bytes. */
    private static byte[] variableLengthHash(byte[] input, int length) {
        byte[] out = new byte[length];
        if (length <= 64) {
            Blake2bDigest digest = new Blake2bDigest(length * 8);
            updateLe32(digest, length);
            digest.update(input, 0, input.length);
            digest.doFinal(out, 0);
            return out;
        }
        int halves = (length + 31) / 32 - 2;
        byte[] v = new byte[64];
        Blake2bDigest digest = new Blake2bDigest(512);
        updateLe32(digest, length);
        digest.update(input, 0, input.length);
        digest.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        for (int i = 1; i < halves; i++) {
            digest.update(v, 0, v.length);
            digest.doFinal(v, 0);
            System.arraycopy(v, 0, out, i * 32, 32);
        }
        int rest = length - 32 * halves;
        Blake2bDigest last = new Blake2bDigest(rest * 8);
        last.update(v, 0, v.length);
        last.doFinal(out, 32 * halves);
        return out;
    }

    private static void updateLe32(Blake2bDigest digest, int value) {
        byte[] bytes = new byte[4];
        writeLe32(bytes, 0, value);
        digest.update(bytes, 0, 4);
    }

    private static void writeLe32(byte[] bytes, int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
        bytes[at + 2] = (byte) (value >>> 16);
        bytes[at + 3] = (byte) (value >>> 24);
    }

    private static void writeLe64(byte[] bytes, int at, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long readLe64(byte[] bytes, int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[at + i] & 0xFFL);
        }
        return value;
    }
}
