package org.classtop.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.junit.jupiter.api.Test;

/** What an agent plugin declares about a command: descriptions per language and whether it is a read. */
class CommandDeclarationTest {
    public static final class Echo implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return null;
        }
    }

    @Test
    void descriptionsPerLanguageAndReadsAreRecorded() {
        RecordingAgentBinder binder = new RecordingAgentBinder("demo");
        binder.command("peek").description("Looks").description("zh-CN", "查看").read().to(Echo.class);
        binder.command("poke").description("Changes").to(Echo.class);

        AgentDeclarations.CommandDeclaration peek = binder.declarations().commands.get(0);
        assertEquals("Looks", peek.description());
        assertEquals(Map.of("zh-CN", "查看"), peek.descriptions());
        assertTrue(peek.read());
        AgentDeclarations.CommandDeclaration poke = binder.declarations().commands.get(1);
        assertEquals(Map.of(), poke.descriptions());
        assertFalse(poke.read(), "a command is not a read unless declared so");
    }

    @Test
    void aDescriptionInSomethingThatIsNoLanguageTagIsRefusedWithItsName() {
        RecordingAgentBinder binder = new RecordingAgentBinder("demo");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> binder.command("peek").description("<script>", "x"));
        assertTrue(refused.getMessage().contains("peek") && refused.getMessage().contains("language tag"),
                refused.getMessage());
    }
}
