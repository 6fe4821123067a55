package org.classtop.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines one class logs while the test runs (what an admin would read in the agent's log). */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLog(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    List<String> lines() {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The first line containing every one of {@code parts}, or null. */
    String lineWith(String... parts) {
        return lines().stream().filter(line -> List.of(parts).stream().allMatch(line::contains)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
