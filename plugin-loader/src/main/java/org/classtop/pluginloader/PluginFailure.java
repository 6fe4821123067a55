package org.classtop.pluginloader;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what went wrong while wiring a plugin into the one sentence logged and shown as its {@code error}. */
public final class PluginFailure {
    private static final Pattern MISSING_CLASS = Pattern.compile("(?:NoClassDefFoundError|ClassNotFoundException):? ?([\\w$./]+)");

    private PluginFailure() {
    }

    public static String sentence(String pluginId, Throwable failure) {
        String missing = missingClass(failure);
        if (missing != null) {
            return usesSentence(pluginId, missing);
        }
        Throwable shown = unwrap(failure);
        String message = shown.getMessage() == null ? shown.toString() : shown.getMessage();
        if (shown instanceof CreationException || shown instanceof ProvisionException || shown instanceof ConfigurationException) {
            message = guiceMessage(shown);
        }
        message = message.strip();
        if (!message.endsWith(".") && !message.endsWith("!") && !message.endsWith("?")) {
            message = message + ".";
        }
        if (message.startsWith("Plugin '" + pluginId + "'")) {
            return message;
        }
        return "Plugin '" + pluginId + "' failed: " + message;
    }

    /** "Plugin 'x' uses org.classtop.core.hub.AgentHub, which is not part of plugin-api ..." */
    public static String usesSentence(String pluginId, String className) {
        if (ClassTopPluginManager.API_LOADER.platformHas(className)) {
            return "Plugin '" + pluginId + "' uses " + className + ", which is not part of plugin-api: a plugin sees only"
                    + " plugin-api, PF4J, Guice, jakarta.inject, SLF4J, Jackson, the JDK, its own jars and the plugins it depends on.";
        }
        return "Plugin '" + pluginId + "' uses " + className + ", which is neither in its jar nor in a plugin it depends on"
                + " (Plugin-Dependencies).";
    }

    /** The class name of the first NoClassDefFoundError or ClassNotFoundException in the failure, or null. */
    static String missingClass(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
                String message = t.getMessage();
                if (message != null && !message.isBlank()) {
                    return message.strip().split("\\s")[0].replace('/', '.');
                }
            }
            if (t.getMessage() != null) {
                Matcher matcher = MISSING_CLASS.matcher(t.getMessage());
                if (matcher.find()) {
                    return matcher.group(1).replace('/', '.');
                }
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof InvocationTargetException || t instanceof java.util.concurrent.CompletionException
                || (t instanceof ProvisionException && t.getCause() != null && !(t.getCause() instanceof ProvisionException)))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String guiceMessage(Throwable guice) {
        Collection<Message> messages = guice instanceof CreationException c ? c.getErrorMessages()
                : guice instanceof ProvisionException p ? p.getErrorMessages()
                : ((ConfigurationException) guice).getErrorMessages();
        for (Message message : messages) {
            if (message.getCause() != null && message.getCause().getMessage() != null) {
                return message.getCause().getMessage();
            }
            return message.getMessage().lines().findFirst().orElse(message.getMessage());
        }
        return guice.toString();
    }

    private static Iterable<Throwable> causes(Throwable failure) {
        Deque<Throwable> queue = new ArrayDeque<>();
        Set<Throwable> seen = new HashSet<>();
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        queue.add(failure);
        while (!queue.isEmpty() && out.size() < 50) {
            Throwable t = queue.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            Collection<Message> messages = t instanceof CreationException c ? c.getErrorMessages()
                    : t instanceof ProvisionException p ? p.getErrorMessages()
                    : t instanceof ConfigurationException ce ? ce.getErrorMessages() : java.util.List.of();
            messages.stream().map(Message::getCause).filter(java.util.Objects::nonNull).forEach(queue::add);
        }
        return out;
    }
}
