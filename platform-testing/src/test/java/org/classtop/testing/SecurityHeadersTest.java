package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /docs is locked down like the UI's pages (no inline script, no framing), and JSON answers are never sniffed. */
class SecurityHeadersTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);

    @Test
    void theDocsPageHasThePagePolicyAndNoInlineScript() {
        for (String path : new String[] {"/docs", "/docs/", "/docs/index.html"}) {
            ApiResult page = SERVER.get().api().anonymous().get(path);
            assertEquals(200, page.status(), path);
            assertTrue(page.header("Content-Type").startsWith("text/html"), path);
            String policy = page.header("Content-Security-Policy");
            assertTrue(policy != null && policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"),
                    path + ": " + policy);
            assertEquals("DENY", page.header("X-Frame-Options"), path);
            assertEquals("nosniff", page.header("X-Content-Type-Options"), path);
            assertTrue(page.header("Referrer-Policy") != null, path);
            assertTrue(page.text().contains("<script src=\"/docs/classtop-docs.js\"></script>"), path + ": " + page.text());
            assertFalse(INLINE_SCRIPT.matcher(page.text()).find(), path + " has an inline script, which the policy blocks");
        }
        ApiResult script = SERVER.get().api().anonymous().get("/docs/classtop-docs.js");
        assertEquals(200, script.status());
        assertTrue(script.header("Content-Type").startsWith("text/javascript"), script.header("Content-Type"));
        assertTrue(script.text().contains("SwaggerUIBundle") && script.text().contains("/openapi.json"));
        assertEquals(200, SERVER.get().api().anonymous().get("/docs/swagger-ui-bundle.js").status(), "Swagger UI's own files");
        assertEquals(404, SERVER.get().api().anonymous().get("/docs/../pom.xml").status());
    }

    @Test
    void jsonAnswersSayNosniff() {
        TestServer server = SERVER.get();
        for (ApiResult answer : new ApiResult[] {server.api().get("/api/clients/"), server.api().get("/openapi.json"),
                server.api().anonymous().get("/api/clients/"), server.api().get("/api/no/such/route"),
                server.api().anonymous().get("/healthz"), server.api().anonymous().get("/no-such-file.js")}) {
            assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.toString());
            assertEquals("nosniff", answer.header("X-Content-Type-Options"), answer.status() + " " + answer.text());
        }
    }
}
