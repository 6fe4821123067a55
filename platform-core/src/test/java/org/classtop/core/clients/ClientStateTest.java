package org.classtop.core.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientStateTest {
    /** Each call makes new String objects, as parsing each agent's register frame does. */
    private static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add(new StringBuilder("plugin_command_").append(i).toString());
        }
        return names;
    }

    @Test
    void agentsReportingTheSameTypeVersionAndCommandsShareOneCopyOfEach() {
        ClientState first = new ClientState("a");
        ClientState second = new ClientState("b");
        List<String> sent = commandNames();
        List<String> sentAgain = commandNames();
        assertNotSame(sent.get(7), sentAgain.get(7), "two agents' frames give two copies");
        first.connected("PC 1", "10.0.0.1", new String("client".toCharArray()), new String("1.4.0".toCharArray()), sent, false);
        second.connected("PC 2", "10.0.0.2", new String("client".toCharArray()), new String("1.4.0".toCharArray()), sentAgain, false);

        List<String> firstNames = first.toInfo().capabilities();
        List<String> secondNames = second.toInfo().capabilities();
        assertEquals(sent, firstNames);
        for (int i = 0; i < sent.size(); i++) {
            assertSame(firstNames.get(i), secondNames.get(i), "one copy of " + firstNames.get(i));
        }
        assertSame(first.clientType(), second.clientType());
        assertSame(first.agentVersion(), second.agentVersion());

        // Loaded from the database at start: shared the same way.
        ClientState loaded = ClientState.from(second.toRecord());
        assertSame(firstNames.get(3), loaded.toInfo().capabilities().get(3));
        assertSame(first.agentVersion(), loaded.agentVersion());
    }
}
