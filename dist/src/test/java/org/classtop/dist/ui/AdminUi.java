package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openqa.selenium.WebElement;

/** The ClassTop admin UI's own flows on top of {@link Browser}: sign in and out, language, client rows. */
public final class AdminUi {
    private final Browser browser;

    public AdminUi(Browser browser) {
        this.browser = browser;
    }

    public Browser browser() {
        return browser;
    }

    /** From the sign-in page: types the credentials and submits (does not wait for the outcome). */
    public void submitSignIn(String username, String password) {
        browser.find("#login-form");
        browser.type("#login-username", username);
        browser.type("#login-password", password);
        browser.click("#login-submit");
    }

    /** Opens the UI and signs in (signing out first if someone else is signed in); waits for the shell. */
    public void signIn(String username, String password) {
        browser.open("");
        String who = browser.until("the sign-in page or the shell", () -> {
            if (browser.present("#login-form")) {
                return "nobody";
            }
            WebElement name = browser.now(".account-name");
            return name == null ? null : browser.text(name);
        });
        if (who.equals(username)) {
            return;
        }
        if (!who.equals("nobody")) {
            signOut();
        }
        submitSignIn(username, password);
        browser.until("the shell after signing in as " + username,
                () -> browser.present(".account-name") && username.equals(browser.text(".account-name")));
    }

    public void signOut() {
        browser.click("[data-action=account]");
        browser.click("[data-action=sign-out]");
        browser.find("#login-form");
    }

    /** Picks a language in the top bar's switch ("en" or "zh-CN") and waits for the page to follow. */
    public void switchLanguage(String code) {
        String item = "mdui-menu-item[value='" + code + "']";
        // A click that lands while the top bar re-renders leaves the menu closed (its items have no size):
        // open it again, as a user would, before giving up.
        for (int attempt = 1; ; attempt++) {
            browser.click("[data-action=language]");
            try {
                browser.until(item + " shown", java.time.Duration.ofSeconds(5), () -> Boolean.TRUE.equals(browser.js(
                        "const e = document.querySelector(arguments[0]); return !!e && e.getBoundingClientRect().width > 0", item)));
                break;
            } catch (AssertionError closed) {
                if (attempt == 3) {
                    throw closed;
                }
            }
        }
        browser.click(item);
        browser.until("<html lang=" + code + ">",
                () -> code.equals(browser.js("return document.documentElement.lang")));
    }

    /** The clients table's row of uuid, or null. */
    public WebElement clientRow(String uuid) {
        return browser.now("table[data-table=clients] tr[data-uuid='" + uuid + "']");
    }

    /** Waits until the clients table shows uuid with this status (online, offline, pending). */
    public WebElement awaitClientStatus(String uuid, String status) {
        return browser.until("client " + uuid + " shown " + status, () -> {
            WebElement row = clientRow(uuid);
            return row != null && status.equals(row.getDomAttribute("data-status")) ? row : null;
        });
    }

    /**
     * The controls of the shell (not inside a plugin's panel) that assistive technology would not name: each
     * visible MDUI component's focusable element, and every link, button and input of the page itself.
     */
    @SuppressWarnings("unchecked")
    public java.util.List<String> unnamedControls() {
        return (java.util.List<String>) browser.js(String.join("\n",
                "const found = [];",
                "const controls = document.querySelectorAll('mdui-button, mdui-button-icon, mdui-text-field, mdui-select,'",
                "  + 'mdui-checkbox, mdui-chip, mdui-segmented-button, mdui-navigation-rail-item, mdui-tab, a[href], button, input');",
                "for (const el of controls) {",
                "  if (el.closest('[data-panel], mdui-dialog:not([open])') || el.getClientRects().length === 0) continue;",
                "  let target = el, root = el.shadowRoot;",
                "  for (let depth = 0; root && depth < 3; depth++) {",
                "    const inner = root.querySelector('button, a[href], input, textarea, [tabindex]');",
                "    if (!inner) break;",
                "    target = inner; root = inner.tagName.startsWith('MDUI-') ? inner.shadowRoot : null;",
                "  }",
                "  const name = target.getAttribute('aria-label') || (target === el ? el.textContent.trim() : '');",
                "  if (!name) found.push(el.outerHTML.slice(0, 160));",
                "}",
                "return found;"));
    }

    /** Closes every snackbar (before a screenshot). */
    public void dismissSnackbars() {
        browser.js("document.querySelectorAll('mdui-snackbar').forEach(s => s.remove())");
    }

    /** The text of the page's main heading. */
    public String heading() {
        return browser.text("#main h1");
    }

    /** Sets a marker on window that a page load would wipe out. */
    public void markPage() {
        browser.js("window.__classtopNoReload = 'kept'");
    }

    public void assertNotReloaded() {
        assertEquals("kept", browser.js("return window.__classtopNoReload"), "the page was not reloaded");
    }
}
