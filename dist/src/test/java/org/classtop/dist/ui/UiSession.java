package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server (from the distribution, in a temporary folder) and one headless browser for a test
 * class; after each test it checks that the page logged no script errors.
 * Use as {@code @RegisterExtension static final UiSession SESSION = new UiSession("open");}.
 */
final class UiSession implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String enrollmentMode;
    private Path work;
    private UiServer server;
    private Browser browser;
    private AdminUi ui;

    UiSession(String enrollmentMode) {
        this.enrollmentMode = enrollmentMode;
    }

    UiServer server() {
        return server;
    }

    Browser browser() {
        return browser;
    }

    AdminUi ui() {
        return ui;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("classtop-ui-");
        server = UiServer.start(work, enrollmentMode);
        browser = Browser.start(server.url(), "en-US");
        ui = new AdminUi(browser);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(List.of(), browser.scriptErrors(), "script errors in the page");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
