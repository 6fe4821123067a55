/**
 * Live video shared between plugins: the video-sources plugin holds each camera once and offers its
 * frames through {@link org.classtop.api.video.VideoSources}; a plugin that needs frames (inference,
 * recording, a preview) lists {@code video-sources} in {@code Plugin-Dependencies} and injects it, so it
 * never opens the camera itself.
 */
package org.classtop.api.video;
