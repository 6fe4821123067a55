package org.classtop.core.hub;

import java.nio.charset.StandardCharsets;

/** Size checks of text in UTF-8 bytes, encoding only when the character count cannot decide. */
public final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code text} takes more than {@code limit} bytes in UTF-8. */
    public static boolean longerThan(String text, int limit) {
        if (text.length() > limit) {
            return true;
        }
        if ((long) text.length() * 3 <= limit) {
            return false;
        }
        return text.getBytes(StandardCharsets.UTF_8).length > limit;
    }
}
