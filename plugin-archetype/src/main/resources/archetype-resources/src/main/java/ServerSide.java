package ${package};

import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/**
 * The server side of plugin '${pluginId}': what it declares (routes, the panel); the platform creates the
 * handlers through Guice and serves them. {@code configure()} only declares: no I/O here.
 */
@Extension
public final class ServerSide extends ServerPlugin {
    /** The agent command, named after the plugin so that it cannot clash with another plugin's. */
    static final String GREET = "${pluginId}.greet";

    @Override
    protected void configure() {
        description("zh-CN", "让教室电脑问候，并保存它说的话。");
        install(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Greetings.class).in(Singleton.class);
            }
        });
        route(POST, "/api/${pluginId}/{uuid}/greet")
                .summary("Ask a client to greet")
                .description("Runs " + GREET + " on the client's agent and keeps what it said.")
                .requestExample("{\"text\":\"Good morning\"}")
                .responseExample("{\"said\":\"Good morning from pc-1\",\"at\":1767225600000}")
                .to(GreetRoute.class);
        route(GET, "/api/${pluginId}/{uuid}/greetings")
                .summary("What a client said, newest first")
                .responseExample("[{\"said\":\"Good morning from pc-1\",\"at\":1767225600000}]")
                .to(GreetingsRoute.class);
        uiPanel("greetings")
                .script("static/${pluginId}/panel.js")
                .element("${pluginId}-panel")
                .slot("client-detail")
                .title("Greetings")
                .title("zh-CN", "问候")
                .whenClientHas(GREET)
                .register();
    }
}
