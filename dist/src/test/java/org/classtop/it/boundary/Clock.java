package org.classtop.it.boundary;

/** The service plugin 'clock' exports (packed into its jar by PluginBoundaryIT). */
public interface Clock {
    long tick();
}
