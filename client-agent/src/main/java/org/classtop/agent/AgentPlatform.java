package org.classtop.agent;

import java.util.Locale;

/** The agent's platform as {@code Plugin-Platforms} names it: {@code linux-x86_64}, {@code windows-x86_64}, {@code mac-aarch64}. */
final class AgentPlatform {
    private AgentPlatform() {
    }

    static String current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    static String of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String family = os.startsWith("windows") ? "windows" : os.startsWith("mac") || os.contains("darwin") ? "mac"
                : os.startsWith("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            default -> osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
        };
        return family + "-" + arch;
    }
}
