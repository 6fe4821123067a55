package org.classtop.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.classtop.api.server.ApiException;

/**
 * Strict percent-decoding of URL parts (RFC 3986): every '%' starts two hex digits and the bytes are
 * UTF-8; anything else is a 400 with a sentence. A '+' is a space only in a query.
 */
public final class PercentEncoding {
    private PercentEncoding() {
    }

    /** A path segment or a whole path with its {@code %2F} and {@code %5C} kept encoded ({@code keepEncodedSlashes}). */
    public static String decodePath(String raw, boolean keepEncodedSlashes) {
        return decode(raw, false, keepEncodedSlashes);
    }

    /** A query parameter's name or value ({@code application/x-www-form-urlencoded}: '+' is a space). */
    public static String decodeQuery(String raw) {
        return decode(raw, true, false);
    }

    /** An ASCII hex digit's value, else -1 ({@link Character#digit} would also take other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static String decode(String raw, boolean plusIsSpace, boolean keepEncodedSlashes) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(raw.charAt(i + 2));
                if (low < 0) {
                    throw ApiException.badRequest("The URL has a '%' that is not followed by two hexadecimal digits "
                            + "(write a percent sign as %25).");
                }
                int value = high * 16 + low;
                if (keepEncodedSlashes && (value == '/' || value == '\\')) {
                    bytes.write(c);
                    bytes.write(raw.charAt(i + 1));
                    bytes.write(raw.charAt(i + 2));
                } else {
                    bytes.write(value);
                }
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw ApiException.badRequest("The URL has a character that must be percent-encoded.");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The URL's percent-encoded bytes are not UTF-8.");
        }
    }
}
