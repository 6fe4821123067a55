package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.classtop.dist.AgentProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** Enrolment in a real browser: the server in `approve` mode, a real agent waiting, approved from the page. */
class EnrolmentUiIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("approve");

    static UiServer server;
    static Browser browser;
    static AdminUi ui;

    @BeforeAll
    static void start() {
        server = SESSION.server();
        browser = SESSION.browser();
        ui = SESSION.ui();
    }

    @Test
    void aPendingAgentAppearsLiveAndIsOnlineOnceApproved() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/enrolment");
        browser.until("the enrolment mode", () -> browser.text("#main .page-sub").contains("approve"));
        ui.markPage();

        AgentProcess agent = server.startAgent("Room 201");
        String uuid = UiServer.uuidOf(agent);
        String row = "table[data-table=pending] tr[data-uuid='" + uuid + "']";
        browser.until("Room 201 waiting for approval", () -> browser.textNow(row).contains("Room 201"));
        browser.until("the pending badge in the navigation",
                () -> "1".equals(browser.text("mdui-navigation-rail-item[data-nav=enrolment] mdui-badge")));
        assertEquals("pending", server.api().get("/api/clients/" + uuid).data().path("enrollment").asText());

        browser.click(row + " [data-action=approve]");
        browser.until("Room 201 no longer pending", () -> !browser.present(row));
        ui.assertNotReloaded();
        browser.until("a snackbar saying so", () -> browser.present("mdui-snackbar[data-kind=success]"));

        browser.go("#/clients");
        ui.awaitClientStatus(uuid, "online");
        JsonNode client = server.api().get("/api/clients/" + uuid).data();
        assertEquals("approved", client.path("enrollment").asText(), client.toString());
        assertTrue(client.path("online").asBoolean(), client.toString());
        agent.awaitConnected(UiServer.CONNECT);
    }

    @Test
    void anEnrolmentTokenIsShownOnceAndListed() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/enrolment");
        browser.type("[data-field=token-name]", "Lab 2 PCs");
        browser.click("[data-action=create-token]");
        WebElement field = browser.find("mdui-dialog.token-dialog [data-field=new-token]");
        String token = browser.until("the new token", () -> {
            Object value = browser.js("return arguments[0].value", field);
            return value == null || value.toString().isEmpty() ? null : value.toString();
        });
        browser.screenshot("enrolment-token");
        browser.click("mdui-dialog.token-dialog [data-action=close-dialog]");
        WebElement listed = browser.until("the token in the list", () -> browser.all("table[data-table=tokens] tbody tr")
                .stream().filter(r -> browser.text(r).contains("Lab 2 PCs")).findFirst().orElse(null));
        assertEquals("active", listed.getDomAttribute("data-state"));
        assertTrue(!browser.text(listed).contains(token), "the list never shows the token itself");

        // The token copied from the dialog enrols an agent without approval.
        AgentProcess agent = server.startAgent("Room 202", token);
        agent.awaitConnected(UiServer.CONNECT);
        String uuid = agent.uuid();
        browser.go("#/clients");
        ui.awaitClientStatus(uuid, "online");
        assertEquals("approved", server.api().get("/api/clients/" + uuid).data().path("enrollment").asText());
        browser.go("#/enrolment");
        browser.until("the token counted as used once", () -> browser.all("table[data-table=tokens] tbody tr").stream()
                .anyMatch(r -> browser.text(r).contains("Lab 2 PCs") && "1".equals(browser.text(
                        r.findElements(org.openqa.selenium.By.cssSelector("td")).get(3)))));
    }

    @Test
    void reEnrollingFromTheClientPageMakesAnAgentWithATokenEnrolAgainByItself() {
        String token = server.api().post("/api/enrollment/tokens", java.util.Map.of("name", "Re-enrol test")).data()
                .path("token").asText();
        AgentProcess agent = server.startAgent("Room 203", token);
        agent.awaitConnected(UiServer.CONNECT);
        String uuid = agent.uuid();
        java.nio.file.Path identity = agent.dataDir().resolve("agent.json");
        String before = credentialIn(identity);
        assertTrue(before.startsWith("ctc_"), "the agent keeps the credential it was issued");

        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients/" + uuid);
        browser.until("the client's name as heading", () -> "Room 203".equals(ui.heading()));
        browser.click("[data-action=re-enroll]");
        browser.click("mdui-dialog.confirm-dialog [data-action=confirm]");
        browser.until("a snackbar saying so", () -> browser.present("mdui-snackbar[data-kind=success]"));

        // Its old credential is void; it presents its --token along with it and is enrolled again, with a new one.
        org.classtop.testing.Poll.until("a new credential in agent.json", java.time.Duration.ofSeconds(60), () -> {
            String now = credentialIn(identity);
            return now.startsWith("ctc_") && !now.equals(before);
        });
        org.classtop.testing.Poll.until("online again", java.time.Duration.ofSeconds(30),
                () -> server.api().get("/api/clients/" + uuid).data().path("online").asBoolean());
        assertEquals("approved", server.api().get("/api/clients/" + uuid).data().path("enrollment").asText());
    }

    private static String credentialIn(java.nio.file.Path identity) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(identity.toFile()).path("credential").asText("");
        } catch (java.io.IOException e) {
            return ""; // being rewritten: look again
        }
    }
}
