package org.classtop.plugins.cctv.recording.agent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code <camera_id>_<yyyyMMdd'T'HHmmss'Z'>[-n].mp4}, UTC; {@code .part} while written. */
final class SegmentNames {
    static final String PART = ".part";
    static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-]{1,64})_(\\d{8}T\\d{6}Z)(?:-(\\d{1,4}))?\\.mp4(\\.part)?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SegmentNames() {
    }

    /** The name of a segment that begins at {@code start}; {@code n > 0} tells apart two begun in one second. */
    static String name(String cameraId, Instant start, int n) {
        return cameraId + "_" + TIME.format(start) + (n > 0 ? "-" + n : "") + ".mp4";
    }

    record Parsed(String cameraId, Instant start, boolean part) {
    }

    /** The camera and start of a file name of ours, or empty for any other name. */
    static Optional<Parsed> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Instant start = TIME.parse(m.group(2), Instant::from);
            return Optional.of(new Parsed(m.group(1), start, m.group(4) != null));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
