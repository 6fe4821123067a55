package org.classtop.plugins.cctv.recording.agent;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The segment files being written now (absolute paths) and the cameras recording: never cleaned, never indexed. */
final class ActiveSegments {
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final Set<String> cameras = ConcurrentHashMap.newKeySet();

    void begin(Path file) {
        files.add(file.toAbsolutePath().normalize());
    }

    void end(Path file) {
        files.remove(file.toAbsolutePath().normalize());
    }

    boolean contains(Path file) {
        return files.contains(file.toAbsolutePath().normalize());
    }

    void cameraOn(String cameraId) {
        cameras.add(cameraId);
    }

    void cameraOff(String cameraId) {
        cameras.remove(cameraId);
    }

    boolean cameraRecording(String cameraId) {
        return cameras.contains(cameraId);
    }
}
