package org.classtop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Swagger UI on /docs renders descriptions as CommonMark with raw HTML: plain sentences must be escaped. */
class OpenApiMarkdownTest {
    @Test
    void angleBracketsAmpersandsAndBackslashesShowAsWritten() {
        assertEquals("Answers {\"error\":\"\\<sentence>\"} \\& more, C:\\\\data",
                OpenApiDocument.asMarkdownText("Answers {\"error\":\"<sentence>\"} & more, C:\\data"));
        assertEquals("Plain text stays.", OpenApiDocument.asMarkdownText("Plain text stays."));
    }
}
