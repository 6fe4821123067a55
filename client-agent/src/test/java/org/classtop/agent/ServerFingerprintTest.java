package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerFingerprintTest {
    private static final String HEX = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";

    @Test
    void takesTheServersFormAndTheColonSeparatedUpperCaseForm() {
        assertEquals(HEX, ServerFingerprint.parse(HEX));
        assertEquals(HEX, ServerFingerprint.parse("  " + HEX.toUpperCase() + "\n"));
        String colons = String.join(":", HEX.toUpperCase().split("(?<=\\G..)"));
        assertTrue(colons.startsWith("AB:12:CD:34:"), colons);
        assertEquals(HEX, ServerFingerprint.parse(colons));
    }

    @Test
    void refusesWhatIsNotASha256FingerprintWithAReason() {
        for (String bad : new String[] {"", "ab12", HEX + "00", HEX.substring(2) + "zz", "sha1:" + HEX.substring(5)}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ServerFingerprint.parse(bad));
            assertTrue(error.getMessage().startsWith("--server-fingerprint '" + bad + "' is not a SHA-256 fingerprint"),
                    error.getMessage());
        }
    }
}
