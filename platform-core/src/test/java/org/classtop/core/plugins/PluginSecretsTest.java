package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.inject.Guice;
import java.nio.file.Path;
import java.util.Optional;
import org.classtop.api.server.ServerInfo;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.OpenConnections;
import org.junit.jupiter.api.Test;

/** ServerInfo.secret: the management token reaches management-sync and no other plugin, and never the flags. */
class PluginSecretsTest {
    private static ServerInfo infoOf(String pluginId, String token) {
        ServerConfig config = ServerConfig.forTests(Path.of("unused")).toBuilder()
                .managementUrl("http://centre.example:9000").managementToken(token).build();
        try (EventDispatcher events = new EventDispatcher();
             PluginScopedServices services = new PluginScopedServices(config, events, new OpenConnections())) {
            return Guice.createInjector(services.moduleFor(pluginId)).getInstance(ServerInfo.class);
        }
    }

    @Test
    void onlyTheGrantedPluginReadsTheManagementToken() {
        assertEquals(Optional.of("s3cret"), infoOf("management-sync", "s3cret").secret("management-token"));
        assertEquals(Optional.empty(), infoOf("settings", "s3cret").secret("management-token"));
        assertEquals(Optional.empty(), infoOf("management-sync-evil", "s3cret").secret("management-token"));
    }

    @Test
    void noPluginFindsItAmongTheFlagsOrUnderAnotherName() {
        for (String plugin : new String[]{"management-sync", "settings"}) {
            ServerInfo info = infoOf(plugin, "s3cret");
            assertFalse(info.flags().containsValue("s3cret"), plugin);
            assertEquals(Optional.empty(), info.secret("admin-token"));
            assertEquals(Optional.empty(), info.secret(null));
        }
        assertEquals("http://centre.example:9000", infoOf("settings", "s3cret").flag("management-url").orElseThrow());
    }

    @Test
    void anUnsetTokenIsEmptyForTheGrantedPluginToo() {
        assertEquals(Optional.empty(), infoOf("management-sync", null).secret("management-token"));
        assertEquals(Optional.empty(), infoOf("management-sync", " ").secret("management-token"));
    }
}
