package ${package};

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** The agent side of plugin '${pluginId}': the commands a classroom PC runs. The server sends this jar to its agents. */
@Extension
public final class AgentSide extends AgentPlugin {
    @Override
    protected void configure() {
        command(ServerSide.GREET)
                .description("Greets with the given text")
                .description("zh-CN", "用给定的文字问候")
                .paramsExample("{\"text\":\"Good morning\"}")
                .to(GreetCommand.class);
    }
}
