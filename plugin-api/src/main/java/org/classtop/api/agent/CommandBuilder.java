package org.classtop.api.agent;

/** Declares one agent command; finish with {@link #to(Class)}. */
public interface CommandBuilder {
    /** One line for the command console and the plugins page. */
    CommandBuilder description(String description);

    /** The description in another language, e.g. {@code description("zh-CN", "读取全部设置")}. */
    CommandBuilder description(String language, String text);

    /**
     * Marks the command as a read: it changes nothing on the client. Reads are still logged, but the admin UI
     * keeps them out of "Recent commands" and hides them in the history unless asked.
     */
    CommandBuilder read();

    /** An example {@code params} object (JSON text). */
    CommandBuilder paramsExample(String json);

    void to(Class<? extends CommandHandler> handler);
}
