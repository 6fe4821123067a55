package org.classtop.testing;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real server for a test class and stops it afterwards:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassTopServerExtension server = new ClassTopServerExtension(
 *         b -> b.plugin("hello", new HelloServerPlugin(), new HelloAgentPlugin()));
 *
 * @Test void says_hello() {
 *     try (FakeAgent pc = server.get().agent("pc-1", "Room 1", a -> a.on("say_hello", p -> Map.of("said", "hello")))) {
 *         assertEquals(200, server.get().api().get("/api/hello/pc-1").status());
 *     }
 * }
 * }</pre>
 */
public final class ClassTopServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final Consumer<TestServer.Builder> configuration;
    private TestServer server;

    public ClassTopServerExtension() {
        this(builder -> { });
    }

    public ClassTopServerExtension(Consumer<TestServer.Builder> configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestServer.Builder builder = TestServer.builder();
        configuration.accept(builder);
        server = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server (between beforeAll and afterAll). */
    public TestServer get() {
        if (server == null) {
            throw new IllegalStateException("The server runs only while the test class runs (register the extension as a static field).");
        }
        return server;
    }
}
