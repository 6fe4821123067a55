package org.classtop.plugins.cctv.cameras.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfo;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfoList;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the cameras of this computer: V4L2 capture nodes on Linux ({@code /dev/video*} that the agent can read,
 * without the metadata nodes UVC drivers add), FFmpeg's device list on Windows (dshow) and macOS
 * (avfoundation, where this FFmpeg lists them). No camera is an empty list, never an error.
 */
final class Detector {
    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    private final Path dev;
    private final Path sysfs;
    private final String os;

    Detector() {
        this(Path.of("/dev"), Path.of("/sys/class/video4linux"), System.getProperty("os.name", ""));
    }

    Detector(Path dev, Path sysfs, String os) {
        this.dev = dev;
        this.sysfs = sysfs;
        this.os = os.toLowerCase(Locale.ROOT);
    }

    List<Map<String, Object>> detect() {
        try {
            if (os.contains("win")) {
                return ffmpegDevices("dshow", "video=");
            }
            if (os.contains("mac") || os.contains("darwin")) {
                return ffmpegDevices("avfoundation", "avfoundation:");
            }
            return v4l2();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("[cctv-cameras] Camera detection failed: {}", e.toString());
            return List.of();
        }
    }

    /** /dev/videoN, sorted by N; only readable capture nodes (sysfs index 0: UVC metadata nodes have index 1). */
    List<Map<String, Object>> v4l2() {
        List<Path> nodes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dev, "video*")) {
            for (Path node : entries) {
                if (node.getFileName().toString().matches("video\\d+")) {
                    nodes.add(node);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        nodes.sort((a, b) -> Integer.compare(number(a), number(b)));
        List<Map<String, Object>> found = new ArrayList<>();
        for (Path node : nodes) {
            if (!Files.isReadable(node)) {
                continue;
            }
            String name = node.getFileName().toString();
            Path info = sysfs.resolve(name);
            String index = read(info.resolve("index"));
            if (index != null && !index.equals("0")) {
                continue; // a second node of one device: metadata, not frames
            }
            String label = read(info.resolve("name"));
            Map<String, Object> camera = new LinkedHashMap<>();
            camera.put("source", node.toString());
            camera.put("name", label == null || label.isEmpty() ? name : label);
            camera.put("kind", "v4l2");
            found.add(camera);
        }
        return found;
    }

    private static int number(Path node) {
        return Integer.parseInt(node.getFileName().toString().substring("video".length()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** FFmpeg's list of the input devices of {@code format} that carry video. */
    private static List<Map<String, Object>> ffmpegDevices(String format, String prefix) {
        avdevice.avdevice_register_all();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        AVInputFormat input = avformat.av_find_input_format(format);
        if (input == null) {
            return List.of();
        }
        AVDeviceInfoList list = new AVDeviceInfoList(null);
        List<Map<String, Object>> found = new ArrayList<>();
        try {
            int count = avdevice.avdevice_list_input_sources(input, (String) null, null, list);
            for (int i = 0; i < count; i++) {
                AVDeviceInfo device = list.devices(i);
                if (device == null || !hasVideo(device)) {
                    continue;
                }
                String description = device.device_description() == null ? null : device.device_description().getString();
                String id = device.device_name() == null ? null : device.device_name().getString();
                String label = description != null && !description.isBlank() ? description : id;
                if (label == null) {
                    continue;
                }
                Map<String, Object> camera = new LinkedHashMap<>();
                // dshow opens a device by its friendly name; avfoundation by its index or name.
                camera.put("source", prefix + ("dshow".equals(format) ? label : id));
                camera.put("name", label);
                camera.put("kind", format);
                found.add(camera);
            }
        } finally {
            avdevice.avdevice_free_list_devices(list);
        }
        return found;
    }

    private static boolean hasVideo(AVDeviceInfo device) {
        int types = device.nb_media_types();
        if (types <= 0) {
            return true; // older FFmpeg builds do not say: keep it
        }
        for (int i = 0; i < types; i++) {
            if (device.media_types().get(i) == avutil.AVMEDIA_TYPE_VIDEO) {
                return true;
            }
        }
        return false;
    }
}
