package org.classtop.agent;

import java.util.Locale;

/** The agent's platform as {@code Plugin-Platforms} names it: {@code linux-x86_64}, {@code windows-x86_64}, {@code mac-aarch64}. */
final class AgentPlatform {
    private AgentPlatform() {
    }

    static String current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * A {@code Plugin-Platforms} entry in the agent's naming, so JavaCPP's names match too:
     * {@code macosx-arm64} → {@code mac-aarch64}, {@code linux-amd64} → {@code linux-x86_64}.
     */
    static String normalize(String platform) {
        String text = platform.strip();
        int dash = text.indexOf('-');
        return dash <= 0 ? text.toLowerCase(Locale.ROOT) : of(text.substring(0, dash), text.substring(dash + 1));
    }

    /**
     * {@code <family>-<arch>}. Families: {@code windows} (also {@code win}), {@code mac} (also {@code macosx},
     * {@code macos}, {@code osx}, {@code darwin}), {@code linux}. Architectures, ignoring case, '-' and '_':
     * {@code x86_64} ({@code x86-64}, {@code amd64}, {@code x64}), {@code aarch64} ({@code arm64}), {@code armhf}
     * ({@code arm}, {@code armv7}, {@code armv7l}, {@code armhf}), {@code x86} ({@code i386} to {@code i686}).
     */
    static String of(String osName, String osArch) {
        String os = osName.strip().toLowerCase(Locale.ROOT);
        String family = os.startsWith("win") ? "windows"
                : os.startsWith("mac") || os.startsWith("osx") || os.contains("darwin") ? "mac"
                : os.startsWith("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        String compact = osArch.strip().toLowerCase(Locale.ROOT).replaceAll("[-_]", "");
        String arch = switch (compact) {
            case "amd64", "x8664", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armv7", "armv7l", "armhf", "armv7hf" -> "armhf";
            case "x86", "i386", "i486", "i586", "i686", "x8632" -> "x86";
            default -> compact.replaceAll("[^a-z0-9]", "");
        };
        return family + "-" + arch;
    }
}
