package org.classtop.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options, nothing more. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got '" + a + "'");
            }
            values.put(a.substring(2), args[++i]);
        }
    }

    /** A load generator's body: reads the options, runs, and exits with its status (2 for a bad option). */
    interface Main {
        int run(Args args) throws Exception;
    }

    static void runAndExit(String[] argv, Main main) throws Exception {
        try {
            System.exit(main.run(new Args(argv)));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The admin token: {@code --token}, else {@code CLASSTOP_ADMIN_TOKEN}. */
    String adminToken() {
        String token = string("token", System.getenv("CLASSTOP_ADMIN_TOKEN"));
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("give the admin token with --token or CLASSTOP_ADMIN_TOKEN");
        }
        return token;
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }
}
