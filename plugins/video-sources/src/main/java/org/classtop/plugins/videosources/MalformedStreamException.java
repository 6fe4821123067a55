package org.classtop.plugins.videosources;

import java.io.IOException;

/** The upstream sent bytes that are not the declared format; the message is a sentence for the status. */
final class MalformedStreamException extends IOException {
    MalformedStreamException(String sentence) {
        super(sentence);
    }
}
