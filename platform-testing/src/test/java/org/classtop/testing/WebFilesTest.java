package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin UI's files: public, revalidated by ETag, locked to this server by their Content-Security-Policy. */
class WebFilesTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    private static HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theShellIsServedWithoutASessionWithAPolicyThatAllowsOnlyThisServer() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("vendor/mdui/mdui.global.js"), "the shell loads MDUI from the server");
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("connect-src 'self'")
                && policy.contains("frame-ancestors 'none'"), policy);
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));

        HttpResponse<String> mdui = get("/vendor/mdui/mdui.global.js", null);
        assertEquals(200, mdui.statusCode(), "MDUI is packaged into the server at build time");
        assertTrue(mdui.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    }

    @Test
    void textFilesAreGzippedForBrowsersThatAcceptIt() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + "/vendor/mdui/mdui.global.js"))
                .header("Accept-Encoding", "gzip").build();
        HttpResponse<byte[]> zipped = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body())).readAllBytes();
        assertEquals(get("/vendor/mdui/mdui.global.js", null).body(), new String(plain, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(zipped.body().length < plain.length / 2, zipped.body().length + " of " + plain.length + " bytes");
    }

    @Test
    void anUnchangedFileIsA304() throws Exception {
        HttpResponse<String> first = get("/app.js", null);
        String etag = first.headers().firstValue("ETag").orElse(null);
        assertNotNull(etag);
        assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(304, get("/app.js", etag).statusCode());
        assertEquals(200, get("/app.js", "\"stale\"").statusCode());
    }

    @Test
    void theUiKitForPluginPanelsIsServedAtItsStableUrlWithItsVersionOneFunctions() throws Exception {
        HttpResponse<String> kit = get("/ui/kit.js", null);
        assertEquals(200, kit.statusCode());
        assertTrue(kit.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(kit.body().contains("export const KIT_VERSION = 1;"), "the version plugin authors read");
        for (String function : new String[] {"api(method, path, body)", "lang()", "t(dict, key, values)", "strings(dict)",
                "onEvent(pattern, fn, owner)", "onReconnect(fn, owner)", "formatBytes(bytes)", "formatTime(value, style",
                "formatAge(value)"}) {
            assertTrue(kit.body().contains("export function " + function), "the kit exports " + function);
        }
        // It shares the shell's modules (one session, one language, one live feed) by relative imports.
        assertTrue(kit.body().contains("from '../js/api.js'") && kit.body().contains("from '../js/i18n.js'"));
        assertEquals(200, get("/js/api.js", null).statusCode());
        assertEquals(200, get("/js/i18n.js", null).statusCode());
    }

    @Test
    void badPathsGetA404Sentence() throws Exception {
        for (String path : new String[] {"/no-such-file.js", "/plugins/no-such-plugin/panel.js", "/plugins/settings/",
                "/plugins/settings/..%2F..%2Fsecret", "/js/%2e%2e/%2e%2e/pom.xml"}) {
            HttpResponse<String> response = get(path, null);
            assertEquals(404, response.statusCode(), path);
            assertTrue(response.body().contains("\"success\":false"), path + ": " + response.body());
        }
    }
}
