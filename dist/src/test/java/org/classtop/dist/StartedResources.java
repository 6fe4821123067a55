package org.classtop.dist;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes, after each test and in reverse order, every process and connection a test started:
 * {@code @RegisterExtension final StartedResources started = new StartedResources();} then
 * {@code started.track(LmsServer.start(...))}.
 */
final class StartedResources implements AfterEachCallback {
    private final List<AutoCloseable> resources = new ArrayList<>();

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("Could not stop " + resource + ": " + e);
            }
        }
        resources.clear();
    }
}
