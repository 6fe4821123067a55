package org.classtop.testing.jars;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.SettingType;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;

/** Plugins packed into real jars by {@code PluginJarIsolationTest}; each top-level class here goes into its own jar. */
public final class JarPlugins {
    private JarPlugins() {
    }

    /** Its extension cannot even be created. */
    public static final class ConstructorFails extends ServerPlugin {
        public ConstructorFails() {
            throw new IllegalStateException("the constructor of a jar plugin blew up");
        }

        @Override
        protected void configure() {
        }
    }

    public static final class Boom implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            throw new UnsupportedOperationException("jar handler detail 77ab");
        }
    }

    public static final class Throws extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/jar-thrower/boom").to(Boom.class);
        }
    }

    public static final class Hangs implements Lifecycle {
        @Override
        public void start() throws Exception {
            Thread.sleep(Long.MAX_VALUE); // until interrupted
        }

        @Override
        public void stop() {
        }
    }

    public static final class HangsInStart extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(Hangs.class);
        }
    }

    /** Reads 'greeting' once, when created: a change takes effect only when the plugin is restarted. */
    public static final class Greeting implements RouteHandler {
        private final String greeting;
        private final PluginContext context;

        @Inject
        public Greeting(PluginContext context) {
            this.context = context;
            this.greeting = context.config("greeting").orElse("?");
        }

        @Override
        public Object handle(ApiRequest request) {
            return Map.of("greeting", greeting, "times", context.configInt("times", -1));
        }
    }

    public static final class Tuned extends ServerPlugin {
        @Override
        protected void configure() {
            setting("greeting").defaultValue("hello").description("What the route says");
            setting("times").type(SettingType.INT).defaultValue("1").live();
            route(HttpMethod.GET, "/api/jar-tuned/greeting").to(Greeting.class);
        }
    }
}
