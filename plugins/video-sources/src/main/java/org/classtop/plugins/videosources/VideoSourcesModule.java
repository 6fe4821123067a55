package org.classtop.plugins.videosources;

import com.google.inject.AbstractModule;

/** The plugin's own shared classes, bound in its child injector (the service, routes and socket are declared). */
final class VideoSourcesModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(VideoSettings.class);
        bind(SourceStore.class);
    }
}
