package org.classtop.core.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template such as {@code /api/settings/{uuid}/{key}}. Literal segments outrank parameters
 * when two templates match the same path ({@code /api/settings/batch} beats {@code /api/settings/{uuid}}).
 */
public final class RouteTemplate {
    private final String text;
    private final String[] segments;
    private final boolean[] parameter;
    private final List<String> parameterNames = new ArrayList<>();

    public RouteTemplate(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("A route path must start with '/': " + text);
        }
        this.text = text;
        this.segments = split(text);
        this.parameter = new boolean[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (name.isEmpty() || parameterNames.contains(name)) {
                    throw new IllegalArgumentException("Bad path parameter '" + s + "' in " + text);
                }
                parameter[i] = true;
                segments[i] = name;
                parameterNames.add(name);
            } else if (s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("A path parameter must be a whole segment: " + text);
            }
        }
    }

    static String[] split(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.equals("/")) {
            return new String[0];
        }
        return trimmed.substring(1).split("/", -1);
    }

    /** The path parameters if {@code pathSegments} fits this template, else null. */
    public Map<String, String> match(String[] pathSegments) {
        if (pathSegments.length != segments.length) {
            return null;
        }
        Map<String, String> values = null;
        for (int i = 0; i < segments.length; i++) {
            if (parameter[i]) {
                if (pathSegments[i].isEmpty()) {
                    return null;
                }
                if (values == null) {
                    values = new HashMap<>(4);
                }
                values.put(segments[i], PercentEncoding.decodePath(pathSegments[i], false)); // once: a '+' stays a '+'
            } else if (!segments[i].equals(pathSegments[i])) {
                return null;
            }
        }
        return values == null ? Map.of() : values;
    }

    /** Higher is more specific: literal segments count from the left. */
    public long specificity() {
        long score = 0;
        for (boolean isParameter : parameter) {
            score = score * 2 + (isParameter ? 0 : 1);
        }
        return score;
    }

    /** Same shape: same length and the same literals at the same places (parameter names ignored). */
    public boolean sameShapeAs(RouteTemplate other) {
        if (other.segments.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (parameter[i] != other.parameter[i] || (!parameter[i] && !segments[i].equals(other.segments[i]))) {
                return false;
            }
        }
        return true;
    }

    public List<String> parameterNames() {
        return List.copyOf(parameterNames);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
