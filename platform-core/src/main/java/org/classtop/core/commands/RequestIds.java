package org.classtop.core.commands;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Request ids the bus makes up for commands whose caller brings none: {@code req_}, the time in milliseconds as
 * nine characters that sort as the time does, then 96 random bits.
 *
 * <p>Why ordered: the command log indexes {@code request_id}. Random ids land on a random page of that index, so each
 * command dirtied one more page in every commit (4 KiB of WAL write, often a page read first); ids in time order are
 * appended to the index's last page. The random part keeps ids unguessable and unique when thousands share a
 * millisecond (an answer is matched by id and by the session it was sent on).
 */
final class RequestIds {
    /** 32 symbols in ASCII order, so that equal-length ids compare as their times do (SQLite's BINARY collation). */
    private static final char[] SORTABLE = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final int TIME_CHARS = 9; // 45 bits of milliseconds: until the year 3084
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private RequestIds() {
    }

    static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        char[] time = new char[TIME_CHARS];
        long t = epochMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            time[i] = SORTABLE[(int) (t & 31)];
            t >>>= 5;
        }
        return "req_" + new String(time) + URL_SAFE.encodeToString(random);
    }
}
