package org.classtop.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * {@code /docs}: Swagger UI over {@code /openapi.json}. Our page and its script (the resources
 * {@code classtop-docs/index.html} and {@code classtop-docs/classtop-docs.js}, served like the UI's
 * pages, with their Content-Security-Policy) come first, then Swagger UI's files from its webjar.
 */
public final class DocsPage {
    private DocsPage() {
    }

    /** The handler of {@code /docs} and {@code /docs/...}, reading from {@code loader}. */
    public static StaticFiles files(ClassLoader loader) {
        String swaggerFolder = "META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion(loader);
        return new StaticFiles(path -> resource(loader, swaggerFolder, path));
    }

    private static URL resource(ClassLoader loader, String swaggerFolder, String path) {
        String relative = path.length() <= "/docs/".length() ? "/index.html" : path.substring("/docs".length());
        if (!StaticFiles.safe(relative)) {
            return null;
        }
        URL own = loader.getResource("classtop-docs" + relative);
        return own != null ? own : loader.getResource(swaggerFolder + relative);
    }

    private static String swaggerUiVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
