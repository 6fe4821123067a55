package org.classtop.testing.pluginjars;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Database;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Packed into test jars as plugin 'hello': its version, its table's rows, and a panel. */
@Extension
public final class HelloPlugin extends ServerPlugin {
    @Override
    protected void configure() {
        route(HttpMethod.GET, "/api/hello/version").to(Version.class);
        route(HttpMethod.GET, "/api/hello/rows").to(Rows.class);
        route(HttpMethod.POST, "/api/hello/rows").to(AddRow.class);
        uiPanel("main").script("static/hello/panel.js").slot("page").register();
    }

    public static final class Version implements RouteHandler {
        private final PluginContext context;

        @Inject
        public Version(PluginContext context) {
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            return Map.of("version", context.version());
        }
    }

    public static final class Rows implements RouteHandler {
        private final Database database;

        @Inject
        public Rows(Database database) {
            this.database = database;
        }

        @Override
        public Object handle(ApiRequest request) throws Exception {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM hello_rows")) {
                rows.next();
                return Map.of("rows", rows.getInt(1));
            }
        }
    }

    public static final class AddRow implements RouteHandler {
        private final Database database;

        @Inject
        public AddRow(Database database) {
            this.database = database;
        }

        @Override
        public Object handle(ApiRequest request) {
            return database.write(c -> {
                try (Statement s = c.createStatement()) {
                    return Map.of("added", s.executeUpdate("INSERT INTO hello_rows (note) VALUES ('posted')"));
                }
            });
        }
    }
}
