package org.classtop.api.server;

import org.classtop.api.SettingType;

/**
 * One declared setting of a plugin ({@link ServerBinder#setting}): an admin sees it on the Plugins page and
 * may change it without a restart. The plugin reads it with {@code PluginContext.config(name)} (or
 * {@code configInt}, {@code configDuration}, ...): a value stored from the Plugins page comes first, then the
 * environment and config file as before, then {@link #defaultValue}. A setting is {@code STRING} unless typed.
 */
public interface SettingBuilder {
    SettingBuilder type(SettingType type);

    /** The value used when nothing is set, as text ({@code "30s"}, {@code "true"}); it must fit the type. */
    SettingBuilder defaultValue(String value);

    /** What the setting does, in English, shown next to its field. */
    SettingBuilder description(String text);

    /** The description in another language, e.g. {@code description("zh-CN", "轮询间隔")}. */
    SettingBuilder description(String language, String text);

    /**
     * The plugin reads this setting each time it uses it, so a change applies at once; without {@code live()}
     * a change restarts the plugin (its routes answer 503 for that moment).
     */
    SettingBuilder live();
}
