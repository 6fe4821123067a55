package org.classtop.agent;

import java.nio.file.Path;
import java.util.Map;

/** The plugin operations a reconcile needs; {@link AgentPluginHost} runs them on the plugin runtime. */
interface AgentPluginOps {
    /** What a plugin ended as after an operation: its state and, when it failed, one sentence. */
    record Outcome(String state, String error) {
    }

    /** Every plugin the agent knows, by id. */
    Map<String, ReconcilePlan.Local> local();

    Outcome loadJar(Path jar);

    Outcome replace(String id, Path jar);

    Outcome disable(String id);

    Outcome enable(String id);
}
