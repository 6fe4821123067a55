package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilePlanTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static AnnouncedPlugins.Announced announced(String id, String sha, String... platforms) {
        return new AnnouncedPlugins.Announced(id, "1.0.0", sha, List.of(platforms));
    }

    private static ReconcilePlan.Local local(String id, String sha, String state) {
        return new ReconcilePlan.Local(id, "0.9.0", sha, state, null, false, null);
    }

    private static List<String> plan(AnnouncedPlugins announce, Map<String, ReconcilePlan.Local> local) {
        return ReconcilePlan.of(announce, local, "linux-x86_64").stream().map(s -> s.action() + " " + s.id()).toList();
    }

    @Test
    void newPluginsLoadChangedOnesAreReplacedAndSameHashIsKept() {
        AnnouncedPlugins announce = new AnnouncedPlugins(List.of(announced("new-one", A), announced("changed", A),
                announced("same", A), announced("broken", A)), Set.of(), "t");
        assertEquals(List.of("LOAD new-one", "REPLACE changed", "KEEP same", "REPLACE broken"),
                plan(announce, Map.of("changed", local("changed", B, "started"), "same", local("same", A, "started"),
                        "broken", local("broken", A, "failed"))));
    }

    @Test
    void offStopsWhatRunsAndADisabledPluginWithTheSameHashIsEnabledAgain() {
        AnnouncedPlugins announce = new AnnouncedPlugins(List.of(announced("back", A)), Set.of("gone", "idle", "absent"), "t");
        assertEquals(List.of("DISABLE gone", "ENABLE back"),
                plan(announce, Map.of("gone", local("gone", A, "started"), "idle", local("idle", A, "disabled"),
                        "back", local("back", A, "disabled"))));
    }

    @Test
    void anotherPlatformKeepsTheLocalJarAndAnyPlatformLoads() {
        AnnouncedPlugins announce = new AnnouncedPlugins(List.of(announced("native", A, "windows-x86_64"),
                announced("portable", A, "linux-x86_64", "windows-x86_64")), Set.of(), "t");
        assertEquals(List.of("PLATFORM_MISMATCH native", "LOAD portable"),
                plan(announce, Map.of("native", local("native", B, "started"))));
    }

    @Test
    void aJarWaitingForARestartIsNotDownloadedAgainAndInProcessPluginsAreLeftAlone() {
        AnnouncedPlugins announce = new AnnouncedPlugins(List.of(announced("native", A), announced("embedded", A)),
                Set.of("embedded-off"), "t");
        Map<String, ReconcilePlan.Local> local = Map.of(
                "native", new ReconcilePlan.Local("native", "0.9.0", B, "restart_required", "restart", false, A),
                "embedded", new ReconcilePlan.Local("embedded", "1.0.0", null, "started", null, true, null),
                "embedded-off", new ReconcilePlan.Local("embedded-off", "1.0.0", null, "started", null, true, null));
        assertEquals(List.of("KEEP native", "IN_PROCESS embedded"), plan(announce, local));
    }

    @Test
    void idsInNeitherListAreLeftAlone() {
        assertEquals(List.of(), plan(new AnnouncedPlugins(List.of(), Set.of(), "t"),
                Map.of("mine", local("mine", A, "started"))));
    }
}
