package org.classtop.plugins.cctv.recording.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.classtop.api.agent.CommandHandler;
import org.classtop.testing.AgentFixtures;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two synthetic cameras recorded in 2-second segments by the real recorder (javacv/FFmpeg, SQLite index), then read
 * back with FFmpeg; the commands' answers and refusals on those recordings.
 */
class RecordingAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Rig rig;
    static MemoryStreams streams = new MemoryStreams();

    @BeforeAll
    static void record() throws Exception {
        rig = new Rig(dir).start();
        Object started = run(new StartRecordingCommand(rig.recorders), "cctv_start_recording",
                Map.of("camera_id", "cam1", "segment_seconds", 2));
        assertEquals(Map.of("camera_id", "cam1", "recording", true, "segment_seconds", 2), without((Map<?, ?>) started, "since"));
        run(new StartRecordingCommand(rig.recorders), "cctv_start_recording", Map.of("camera_id", "cam2", "segment_seconds", "2"));
        Poll.until("3 segments of cam1 and 2 of cam2 were finished", WAIT,
                () -> finished("cam1") >= 3 && finished("cam2") >= 2);
        Object stopped = run(new StopRecordingCommand(rig.recorders), "cctv_stop_recording", Map.of("camera_id", "cam1"));
        assertEquals(Map.of("camera_id", "cam1", "recording", false, "segment_seconds", 60), stopped);
        run(new StopRecordingCommand(rig.recorders), "cctv_stop_recording", Map.of("camera_id", "cam2"));
    }

    @AfterAll
    static void stop() throws Exception {
        rig.close();
    }

    private static long finished(String camera) {
        return rig.agent.events().stream()
                .filter(e -> e.name().equals("segment_finished") && camera.equals(e.data().get("camera_id"))).count();
    }

    private static Map<?, ?> without(Map<?, ?> map, String key) {
        Map<Object, Object> copy = new HashMap<>(map);
        copy.remove(key);
        return copy;
    }

    static Object run(CommandHandler handler, String command, Map<String, Object> params) throws Exception {
        return handler.handle(AgentFixtures.request(command, params));
    }

    static CctvFailure refusal(CommandHandler handler, String command, Map<String, Object> params) {
        return assertThrows(CctvFailure.class, () -> run(handler, command, params));
    }

    private static void refused(String code, String sentence, CommandHandler handler, String command, Map<String, Object> params) {
        CctvFailure failure = refusal(handler, command, params);
        assertEquals(sentence, failure.getMessage());
        assertEquals(code, failure.code(), sentence);
        assertEquals(code, ((org.classtop.api.agent.CommandException) failure).code(), "the agent sends it as data.code");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> recordings(Map<String, Object> params) throws Exception {
        Map<String, Object> answer = (Map<String, Object>) run(new GetRecordingsCommand(rig.index), "cctv_get_recordings", params);
        return (List<Map<String, Object>>) answer.get("recordings");
    }

    @Test
    void segmentsRollAtTheConfiguredLengthAreNamedByCameraAndUtcTimeAndIndexedAsWritten() throws Exception {
        List<Recording> rows = rig.index.list("cam1", null, null, 100);
        assertEquals(finished("cam1"), rows.size(), "one row per segment_finished event");
        assertTrue(rows.size() >= 4, "3 full segments and the one the stop finished: " + rows);
        try (Stream<Path> files = Files.list(dir.resolve("recordings/cam1"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(rows.stream().map(r -> r.path().substring("cam1/".length())).sorted().toList(), names,
                    "every file is indexed, no .part is left");
        }
        for (Recording row : rows) {
            Path file = dir.resolve("recordings").resolve(row.path());
            assertTrue(row.path().matches("cam1/cam1_\\d{8}T\\d{6}Z\\.mp4"), row.path());
            assertEquals(SegmentNames.name("cam1", row.start(), 0), file.getFileName().toString(), "named after its UTC start");
            assertEquals(Files.size(file), row.bytes());
            assertTrue(!row.end().isBefore(row.start()) && row.end().isBefore(row.start().plusMillis(2000)), row.toString());
        }
        // the full segments (all but the newest, which the stop cut short): 2 s of a 10 fps camera each
        for (Recording row : rows.subList(1, rows.size())) {
            Path file = dir.resolve("recordings").resolve(row.path());
            Videos.Decoded video = Videos.decode(file);
            assertTrue(video.frames() >= 17 && video.frames() <= 21, row.path() + " has " + video.frames() + " frames");
            assertTrue(video.seconds() >= 1.6 && video.seconds() <= 2.1, row.path() + " lasts " + video.seconds() + " s");
            assertEquals(320, video.width());
            assertEquals(240, video.height());
            assertEquals(VideoFiles.encoder().codecId() == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264 ? "h264" : "mpeg4",
                    video.codec());
            int probed = Videos.ffprobeFrames(file);
            assertTrue(probed == -1 || probed == video.frames(), "ffprobe reads " + probed + " frames");
        }
        // consecutive segments follow each other without a gap of more than a frame or two
        for (int i = 0; i + 1 < rows.size(); i++) {
            long gap = Duration.between(rows.get(i + 1).end(), rows.get(i).start()).toMillis();
            assertTrue(gap >= 0 && gap < 400, "gap " + gap + " ms before " + rows.get(i).path());
        }
        assertEquals(2, rig.agent.count("recording_started"));
        assertEquals(2, rig.agent.count("recording_stopped"));
        assertEquals(0, rig.agent.count("recording_failed"));
        assertTrue(rig.index.states().isEmpty(), "stopped cameras are not resumed");
        System.out.println("[cctv-recording test] encoder of this FFmpeg build: " + VideoFiles.encoder().label());
    }

    @Test
    void recordingsAreListedNewestFirstByCameraAndTimeRangeWithALimit() throws Exception {
        List<Recording> cam1 = rig.index.list("cam1", null, null, 100);
        List<Map<String, Object>> all = recordings(Map.of());
        assertEquals(rig.index.oldestFirst().size(), all.size());
        List<Map<String, Object>> onlyCam1 = recordings(Map.of("camera_id", "cam1"));
        assertEquals(cam1.stream().map(Recording::toJson).toList(), onlyCam1);
        assertEquals(List.of("id", "camera_id", "start", "end", "bytes", "path"), List.copyOf(onlyCam1.get(0).keySet()));
        for (int i = 0; i + 1 < onlyCam1.size(); i++) {
            assertTrue(Instant.parse((String) onlyCam1.get(i).get("start")).isAfter(Instant.parse((String) onlyCam1.get(i + 1).get("start"))));
        }
        assertEquals(2, recordings(Map.of("camera_id", "cam1", "limit", 2)).size());
        // a range that covers only the second-oldest segment's middle: that one (ranges match by overlap)
        Recording second = cam1.get(cam1.size() - 2);
        Instant middle = second.start().plusMillis(Duration.between(second.start(), second.end()).toMillis() / 2);
        List<Map<String, Object>> inside = recordings(Map.of("camera_id", "cam1", "from", middle.toString(), "to", middle.toString()));
        assertEquals(List.of(second.toJson()), inside);
        List<Map<String, Object>> fromSecond = recordings(Map.of("camera_id", "cam1", "from", second.start().toString()));
        assertEquals(cam1.size() - 1, fromSecond.size(), "every segment but the oldest ends after the second one began");
        List<Map<String, Object>> untilOldest = recordings(Map.of("camera_id", "cam1",
                "to", cam1.get(cam1.size() - 1).start().plusMillis(1).toString()));
        assertEquals(List.of(cam1.get(cam1.size() - 1).toJson()), untilOldest);
        assertEquals(List.of(), recordings(Map.of("from", "2001-01-01T00:00:00Z", "to", "2001-01-02T00:00:00+08:00")));
        assertEquals(List.of(), recordings(Map.of("camera_id", "cam3")));
        Map<String, Object> one = cam1.get(0).toJson();
        assertEquals(one, run(new GetRecordingCommand(rig.index), "cctv_get_recording", Map.of("id", cam1.get(0).id())));
        assertEquals(one, run(new GetRecordingCommand(rig.index), "cctv_get_recording", Map.of("id", String.valueOf(cam1.get(0).id()))));
    }

    @Test
    void deletingARecordingRemovesItsFileAndRowOnce() throws Exception {
        List<Recording> cam2 = rig.index.list("cam2", null, null, 100);
        Recording oldest = cam2.get(cam2.size() - 1);
        Path file = dir.resolve("recordings").resolve(oldest.path());
        assertTrue(Files.exists(file));
        DeleteRecordingCommand delete = new DeleteRecordingCommand(rig.index, rig.agent);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", oldest.id());
        answer.put("deleted", true);
        answer.put("bytes", oldest.bytes());
        assertEquals(answer, run(delete, "cctv_delete_recording", Map.of("id", oldest.id())));
        assertFalse(Files.exists(file));
        assertTrue(rig.index.get(oldest.id()).isEmpty());
        assertEquals(cam2.size() - 1, rig.index.list("cam2", null, null, 100).size());
        refused("RECORDING_NOT_FOUND", "There is no recording " + oldest.id() + " on this agent.", delete,
                "cctv_delete_recording", Map.of("id", oldest.id()));
        assertTrue(rig.agent.events().stream().anyMatch(e -> e.name().equals("recording_deleted")
                && e.data().equals(Map.of("id", oldest.id(), "camera_id", "cam2", "bytes", oldest.bytes()))));
    }

    @Test
    void aReadSendsExactlyTheBytesOfTheRangeOnTheTransfer() throws Exception {
        Recording row = rig.index.list("cam1", null, null, 100).get(1);
        byte[] file = Files.readAllBytes(dir.resolve("recordings").resolve(row.path()));
        RecordingReadCommand read = new RecordingReadCommand(rig.index, streams, rig.reads);
        long offset = file.length / 3;
        long length = file.length - offset - 7;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", row.id());
        answer.put("size", (long) file.length);
        answer.put("offset", offset);
        answer.put("length", length);
        assertEquals(answer, run(read, "cctv_recording_read",
                Map.of("id", row.id(), "offset", offset, "length", length, "transfer", "t-1")));
        MemoryStreams.MemoryTransfer transfer = streams.transfers.get("file.t-1");
        assertTrue(transfer.ended.await(20, TimeUnit.SECONDS));
        assertTrue(transfer.finished, "finished, not aborted: " + transfer.aborted);
        assertArrayEquals(Arrays.copyOfRange(file, (int) offset, (int) (offset + length)), transfer.bytes.toByteArray());

        run(read, "cctv_recording_read", Map.of("id", row.id(), "offset", file.length - 1, "length", 1, "transfer", "last"));
        MemoryStreams.MemoryTransfer last = streams.transfers.get("file.last");
        assertTrue(last.ended.await(20, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {file[file.length - 1]}, last.bytes.toByteArray());
    }

    @Test
    void aFileSwappedForALinkOutOfTheRootIsNeverRead() throws Exception {
        Recording newest = rig.index.list("cam2", null, null, 1).get(0);
        Path file = dir.resolve("recordings").resolve(newest.path());
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not a recording");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);
        assertThrows(java.io.IOException.class, () -> rig.index.fileOf(newest));
        RecordingReadCommand read = new RecordingReadCommand(rig.index, streams, rig.reads);
        refused("RECORDING_NOT_FOUND", "The file of recording " + newest.id() + " cannot be read.", read, "cctv_recording_read",
                Map.of("id", newest.id(), "offset", 0, "length", 3, "transfer", "evil"));
        assertNull(streams.transfers.get("file.evil"), "no transfer was opened");
        assertEquals("not a recording", Files.readString(secret));
    }

    @Test
    void badParametersEachGetTheirSentenceAndCode() throws Exception {
        StartRecordingCommand start = new StartRecordingCommand(rig.recorders);
        StopRecordingCommand stop = new StopRecordingCommand(rig.recorders);
        GetRecordingCommand get = new GetRecordingCommand(rig.index);
        GetRecordingsCommand list = new GetRecordingsCommand(rig.index);
        DeleteRecordingCommand delete = new DeleteRecordingCommand(rig.index, rig.agent);
        RecordingReadCommand read = new RecordingReadCommand(rig.index, streams, rig.reads);
        Recording row = rig.index.list("cam1", null, null, 1).get(0);

        refused("BAD_PARAMS", "Command 'cctv_start_recording' needs the parameter 'camera_id'.", start, "cctv_start_recording", Map.of());
        refused("BAD_PARAMS", "The camera id '../cam1' is not valid: use 1 to 64 letters, digits, '_' or '-'.", start,
                "cctv_start_recording", Map.of("camera_id", "../cam1"));
        refused("BAD_PARAMS", "The camera id '7' is not valid: use 1 to 64 letters, digits, '_' or '-'.", start,
                "cctv_start_recording", Map.of("camera_id", 7));
        refused("CAMERA_NOT_FOUND", "There is no camera nope on this agent.", start, "cctv_start_recording", Map.of("camera_id", "nope"));
        refused("BAD_PARAMS", "The parameter 'segment_seconds' must be a whole number from 2 to 3600, not '1'.", start,
                "cctv_start_recording", Map.of("camera_id", "cam3", "segment_seconds", 1));
        refused("BAD_PARAMS", "The parameter 'segment_seconds' must be a whole number from 2 to 3600, not 'soon'.", start,
                "cctv_start_recording", Map.of("camera_id", "cam3", "segment_seconds", "soon"));
        refused("NOT_RECORDING", "Camera cam3 is not recording.", stop, "cctv_stop_recording", Map.of("camera_id", "cam3"));

        String traversal = "The recording id '../../etc/passwd' is not valid: it must be a positive whole number.";
        refused("BAD_PARAMS", traversal, get, "cctv_get_recording", Map.of("id", "../../etc/passwd"));
        refused("BAD_PARAMS", traversal, delete, "cctv_delete_recording", Map.of("id", "../../etc/passwd"));
        refused("BAD_PARAMS", traversal, read, "cctv_recording_read",
                Map.of("id", "../../etc/passwd", "offset", 0, "length", 1, "transfer", "t"));
        refused("BAD_PARAMS", "The recording id '0' is not valid: it must be a positive whole number.", get, "cctv_get_recording", Map.of("id", 0));
        refused("BAD_PARAMS", "The recording id '-3' is not valid: it must be a positive whole number.", get, "cctv_get_recording", Map.of("id", -3));
        refused("BAD_PARAMS", "The recording id '1.5' is not valid: it must be a positive whole number.", get, "cctv_get_recording", Map.of("id", 1.5));
        refused("BAD_PARAMS", "The recording id '12 OR 1=1' is not valid: it must be a positive whole number.", get,
                "cctv_get_recording", Map.of("id", "12 OR 1=1"));
        refused("BAD_PARAMS", "Command 'cctv_get_recording' needs the parameter 'id'.", get, "cctv_get_recording", Map.of());
        refused("RECORDING_NOT_FOUND", "There is no recording 999999 on this agent.", get, "cctv_get_recording", Map.of("id", 999999));

        refused("BAD_PARAMS", "The parameter 'from' must be an ISO-8601 time such as 2026-12-03T08:15:00Z, not 'yesterday'.", list,
                "cctv_get_recordings", Map.of("from", "yesterday"));
        refused("BAD_PARAMS", "The time 'from' (2026-12-03T09:00:00Z) is after 'to' (2026-12-03T08:00:00Z).", list,
                "cctv_get_recordings", Map.of("from", "2026-12-03T09:00:00Z", "to", "2026-12-03T08:00:00Z"));
        refused("BAD_PARAMS", "The parameter 'limit' must be a whole number from 1 to 5000, not '5001'.", list,
                "cctv_get_recordings", Map.of("limit", 5001));
        refused("BAD_PARAMS", "The camera id 'a b' is not valid: use 1 to 64 letters, digits, '_' or '-'.", list,
                "cctv_get_recordings", Map.of("camera_id", "a b"));

        Map<String, Object> range = new HashMap<>(Map.of("id", row.id(), "offset", row.bytes(), "length", 1, "transfer", "t"));
        refused("BAD_PARAMS", "The range from byte " + row.bytes() + " for 1 bytes is outside recording " + row.id()
                + ", which has " + row.bytes() + " bytes.", read, "cctv_recording_read", range);
        range.put("offset", 0);
        range.put("length", row.bytes() + 1);
        refused("BAD_PARAMS", "The range from byte 0 for " + (row.bytes() + 1) + " bytes is outside recording " + row.id()
                + ", which has " + row.bytes() + " bytes.", read, "cctv_recording_read", range);
        range.put("length", 0);
        refused("BAD_PARAMS", "The parameter 'length' must be a whole number from 1 to " + Long.MAX_VALUE + ", not '0'.", read,
                "cctv_recording_read", range);
        range.put("length", 1);
        range.put("transfer", "../../x");
        refused("BAD_PARAMS", "The transfer name '../../x' is not valid: use 1 to 64 letters, digits, '_' or '-'.", read,
                "cctv_recording_read", range);
        range.remove("offset");
        range.put("transfer", "t");
        refused("BAD_PARAMS", "Command 'cctv_recording_read' needs the parameter 'offset'.", read, "cctv_recording_read", range);
        assertTrue(streams.transfers.keySet().stream().noneMatch(name -> name.equals("file.t")), "no refused read opened a transfer");
    }
}
