package org.classtop.plugins.cctv.recording.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** FFmpeg work on finished or broken segment files: which encoder this build has, probing, repairing. */
final class VideoFiles {
    private VideoFiles() {
    }

    /** The video encoder of this FFmpeg build: H.264 when it has libx264 or libopenh264, else MPEG-4 part 2. */
    record Encoder(int codecId, String codecName, String label) {
    }

    private static volatile Encoder encoder;

    static Encoder encoder() {
        Encoder found = encoder;
        if (found == null) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            if (has("libx264")) {
                found = new Encoder(avcodec.AV_CODEC_ID_H264, "libx264", "H.264 (libx264)");
            } else if (has("libopenh264")) {
                found = new Encoder(avcodec.AV_CODEC_ID_H264, "libopenh264", "H.264 (libopenh264)");
            } else {
                found = new Encoder(avcodec.AV_CODEC_ID_MPEG4, "mpeg4", "MPEG-4 part 2 (FFmpeg mpeg4)");
            }
            encoder = found;
        }
        return found;
    }

    private static boolean has(String name) {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
        return codec != null && !codec.isNull();
    }

    /** What FFmpeg reads of a file: its video packets and how long they last. */
    record Probe(long videoPackets, long durationMillis, int width, int height) {
        boolean playable() {
            return videoPackets > 0 && width > 0 && height > 0;
        }
    }

    /** Reads every packet of {@code file} (no decoding); an unreadable file is a probe with no packets. */
    static Probe probe(Path file) {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        try {
            grabber.start();
            int video = grabber.getVideoStream();
            if (video < 0) {
                return new Probe(0, 0, 0, 0);
            }
            AVStream stream = grabber.getFormatContext().streams(video);
            double timeBase = avutil.av_q2d(stream.time_base());
            long packets = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long lastDuration = 0;
            try {
                AVPacket packet;
                while ((packet = grabber.grabPacket()) != null) {
                    if (packet.stream_index() == video) {
                        packets++;
                        long pts = packet.pts() != avutil.AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                        if (pts != avutil.AV_NOPTS_VALUE) {
                            first = Math.min(first, pts);
                            if (pts >= last) {
                                last = pts;
                                lastDuration = packet.duration();
                            }
                        }
                    }
                    avcodec.av_packet_unref(packet);
                }
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                // a truncated tail: what was read before it counts
            }
            long millis = first == Long.MAX_VALUE ? 0
                    : Math.round((last - first + Math.max(lastDuration, 0)) * timeBase * 1000);
            return new Probe(packets, millis, grabber.getImageWidth(), grabber.getImageHeight());
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            return new Probe(0, 0, 0, 0);
        } finally {
            close(grabber);
        }
    }

    /**
     * Copies the packets FFmpeg can read from a broken or unfinished segment into a fresh MP4 at {@code target}
     * (written beside it first, then renamed). Answers false, leaving nothing at {@code target}, when no
     * video packet could be read.
     */
    static boolean repair(Path source, Path target) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        long copied = 0;
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toFile());
        FFmpegFrameRecorder recorder = null;
        try {
            grabber.start();
            int video = grabber.getVideoStream();
            if (video < 0 || grabber.getImageWidth() <= 0) {
                return false;
            }
            recorder = new FFmpegFrameRecorder(tmp.toFile(), grabber.getImageWidth(), grabber.getImageHeight(), 0);
            recorder.setFormat("mp4");
            recorder.setVideoCodec(grabber.getVideoCodec());
            recorder.start(grabber.getFormatContext());
            try {
                AVPacket packet;
                while ((packet = grabber.grabPacket()) != null) {
                    if (packet.stream_index() == video) {
                        recorder.recordPacket(packet);
                        copied++;
                    } else {
                        avcodec.av_packet_unref(packet);
                    }
                }
            } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception | RuntimeException e) {
                // the truncated tail of a crashed segment: keep what came before it
            }
            recorder.stop();
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception | RuntimeException e) {
            copied = 0;
        } finally {
            if (recorder != null) {
                try {
                    recorder.release();
                } catch (FFmpegFrameRecorder.Exception | RuntimeException ignored) {
                    // released as far as it goes
                }
            }
            close(grabber);
        }
        if (copied == 0 || !probe(tmp).playable()) {
            Files.deleteIfExists(tmp);
            return false;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static void close(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // nothing more to free
        }
    }
}
