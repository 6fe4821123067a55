package org.classtop.plugins.cctv.recording.agent;

import java.nio.file.Path;

/** TEST ONLY: a separate JVM that records cam1 (lavfi) in 2-second segments until it is killed. */
public final class RecordingProcess {
    private RecordingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Rig rig = new Rig(Path.of(args[0])).start();
        if (!rig.recorders.isRecording("cam1")) {
            rig.recorders.startRecording("cam1", 2);
        }
        System.out.println("RECORDING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
