package org.classtop.plugins.clustermonitor;

import com.google.inject.AbstractModule;

/**
 * The plugin's own services, bound explicitly so that they live in the plugin's child injector (never in
 * the platform's). Each is a {@code @Singleton}; the poller, a declared lifecycle, is bound by the platform.
 */
final class ClusterMonitorModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ClusterMonitorSettings.class);
        bind(ServerDirectory.class);
        bind(Upstream.class);
        bind(RestartLog.class);
        bind(RestartService.class);
        bind(Watchdog.class);
    }
}
