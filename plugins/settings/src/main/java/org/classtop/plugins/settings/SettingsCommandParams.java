package org.classtop.plugins.settings;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandRequest;

/** Reads and checks the parameters of the settings commands, turning rule violations into sentences. */
final class SettingsCommandParams {
    private SettingsCommandParams() {
    }

    static String key(CommandRequest request) {
        Object key = request.params().get("key");
        if (key == null) {
            throw new CommandException("Command '" + request.command() + "' needs the parameter 'key'.");
        }
        try {
            return SettingValues.checkKey(key);
        } catch (InvalidSettingException e) {
            throw new CommandException(e.getMessage());
        }
    }

    static String value(String key, Object value) {
        try {
            return SettingValues.toText(key, value);
        } catch (InvalidSettingException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** Runs a store write; a disk failure becomes a sentence for the admin. */
    static List<String> store(Supplier<List<String>> write) {
        try {
            return write.get();
        } catch (UncheckedIOException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new CommandException("The settings could not be saved on this client (" + reason + ").", e);
        }
    }
}
