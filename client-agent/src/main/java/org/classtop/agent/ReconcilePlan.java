package org.classtop.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to do with each plugin for one announce, as a pure function of the announce, what the agent runs and
 * its platform. Ids the server names in neither list are left alone; in-process plugins are never touched.
 */
final class ReconcilePlan {
    enum Action {
        /** Runs the announced jar already (or waits for a restart with it). */
        KEEP,
        /** Not here: download (or take from the cache) and load. */
        LOAD,
        /** Here with other bytes, or failed: download (or cache) and replace. */
        REPLACE,
        /** Here with the announced bytes but switched off: start it again. */
        ENABLE,
        /** In {@code off} and running: stop it, keep its jar. */
        DISABLE,
        /** The announced jar is not built for this platform: keep what is here. */
        PLATFORM_MISMATCH,
        /** Provided in-process by whoever embeds the agent: left alone. */
        IN_PROCESS
    }

    /**
     * A plugin the agent knows: its jar's hash ({@code null} in-process), its state and error sentence, and the
     * hash of a jar waiting for a restart ({@code restart_required}), if any.
     */
    record Local(String id, String version, String sha256, String state, String error, boolean inProcess,
                 String pendingSha256) {
        boolean running() {
            return "started".equals(state) || "wired".equals(state);
        }
    }

    record Step(Action action, String id, AnnouncedPlugins.Announced announced) {
    }

    private ReconcilePlan() {
    }

    /** Disables first (so a replaced plugin's dependents see a consistent set), then the announced plugins in order. */
    static List<Step> of(AnnouncedPlugins announce, Map<String, Local> local, String platform) {
        List<Step> steps = new ArrayList<>();
        for (String id : announce.off()) {
            Local here = local.get(id);
            if (here != null && here.running() && !here.inProcess()) {
                steps.add(new Step(Action.DISABLE, id, null));
            }
        }
        for (AnnouncedPlugins.Announced plugin : announce.plugins()) {
            steps.add(new Step(actionFor(plugin, local.get(plugin.id()), platform), plugin.id(), plugin));
        }
        return steps;
    }

    private static Action actionFor(AnnouncedPlugins.Announced plugin, Local here, String platform) {
        if (here != null && here.inProcess()) {
            return Action.IN_PROCESS;
        }
        if (!plugin.runsOn(platform)) {
            return Action.PLATFORM_MISMATCH;
        }
        if (here == null) {
            return Action.LOAD;
        }
        if ("restart_required".equals(here.state()) && plugin.sha256().equals(here.pendingSha256())) {
            return Action.KEEP;
        }
        if (plugin.sha256().equals(here.sha256())) {
            if (here.running() || "restart_required".equals(here.state())) {
                return Action.KEEP;
            }
            if ("disabled".equals(here.state())) {
                return Action.ENABLE;
            }
        }
        return Action.REPLACE;
    }
}
