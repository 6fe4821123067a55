package org.classtop.dist.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, both found on PATH (never downloaded), with helpers
 * for the admin UI: waiting, MDUI components' shadow DOM, typing into {@code mdui-text-field}, screenshots.
 * Screenshots go to {@code dist/target/screenshots/}, and also to {@code docs/screenshots/} of the repository with
 * {@code -Dclasstop.updateScreenshots=true}.
 */
public final class Browser implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, String baseUrl) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /** Starts the browser for the server at baseUrl with the browser language {@code language} (e.g. "en-US"). */
    public static Browser start(String baseUrl, String language) {
        Path chromium = onPath("chromium", "chromium-browser");
        Path chromedriver = onPath("chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("classtop-ui-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900",
                "--lang=" + language, "--force-device-scale-factor=1");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Browser(service, driver, profile, baseUrl);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    /** The first of names that is an executable file on PATH; fails with what to install otherwise. */
    static Path onPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("The browser tests need " + String.join(" or ", names) + " on PATH (" + path
                + "). On Debian/Ubuntu: apt-get install chromium chromium-driver");
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a hash route of the UI, e.g. "#/clients" (or "" for the start page). */
    public void open(String hash) {
        driver.get(baseUrl + "/" + hash);
    }

    /** Goes to a hash route without reloading the page (as a click on a link would). */
    public void go(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: its last argument is the callback to call with the result. */
    public Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits until condition answers something other than null or false; fails with a screenshot otherwise. */
    public <T> T until(String what, Duration timeout, Supplier<T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = condition.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (WebDriverException e) {
                last = e; // not there yet, or re-rendered under us
            }
            if (System.nanoTime() > deadline) {
                Path shot = screenshotTo(artifactDir().resolve("failed-" + System.currentTimeMillis() + ".png"));
                AssertionError error = new AssertionError("Waited " + timeout.toSeconds() + " s for: " + what
                        + " (screenshot " + shot + ", page " + driver.getCurrentUrl() + ")");
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            sleep(100);
        }
    }

    public <T> T until(String what, Supplier<T> condition) {
        return until(what, WAIT, condition);
    }

    /** The first element matching css in the document (waits for it). */
    public WebElement find(String css) {
        return until("an element " + css, () -> first(driver, css));
    }

    /** The first element matching css in host's shadow root (waits for it). */
    public WebElement inShadow(WebElement host, String css) {
        return until("an element " + css + " inside <" + host.getTagName() + ">", () -> first(host.getShadowRoot(), css));
    }

    /** The element matching css in host's shadow root, or null (no waiting). */
    public WebElement inShadowNow(WebElement host, String css) {
        return first(host.getShadowRoot(), css);
    }

    /** The element matching css or null, now (no waiting). */
    public WebElement now(String css) {
        return first(driver, css);
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Whether an element matching css is rendered visibly (in the document). */
    public boolean visible(String css) {
        return driver.findElements(By.cssSelector(css)).stream().anyMatch(WebElement::isDisplayed);
    }

    private static WebElement first(SearchContext context, String css) {
        List<WebElement> found = context.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Clicks the first visible, enabled element matching {@code css}. A live list may re-render between finding
     * the element and clicking it: the element is looked up again on every try, as a user would click the new one.
     */
    public void click(String css) {
        until("a clickable " + css, () -> {
            WebElement element = driver.findElements(By.cssSelector(css)).stream()
                    .filter(WebElement::isDisplayed).findFirst().orElse(null);
            if (element == null || !element.isEnabled()
                    || Boolean.TRUE.equals(js("return !!arguments[0].disabled || !!arguments[0].loading", element))) {
                return false;
            }
            js("arguments[0].scrollIntoView({block: 'center'})", element);
            element.click(); // a stale element throws here and is looked up again
            return true;
        });
    }

    /** Scrolls the element into view and clicks it once it is visible and enabled. */
    public void click(WebElement element) {
        js("arguments[0].scrollIntoView({block: 'center'})", element);
        until("<" + element.getTagName() + "> to be clickable", () -> element.isDisplayed() && element.isEnabled()
                && !Boolean.TRUE.equals(js("return !!arguments[0].disabled || !!arguments[0].loading", element)));
        element.click();
    }

    /** Replaces the text of an mdui-text-field (or a plain input) with text, as a user would type it. */
    public void type(WebElement field, String text) {
        WebElement input = field.getTagName().startsWith("mdui-") ? inShadow(field, "input, textarea") : field;
        js("arguments[0].scrollIntoView({block: 'center'})", field);
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        if (!text.isEmpty()) {
            input.sendKeys(text);
        }
        until("the field to hold what was typed", () -> text.equals(js("return arguments[0].value", field)));
    }

    public void type(String css, String text) {
        type(find(css), text);
    }

    /** The element's text as shown (innerText; textContent when it is in a closed part of the page). */
    public String text(WebElement element) {
        Object text = js("return (arguments[0].innerText || arguments[0].textContent || '').trim()", element);
        return text == null ? "" : text.toString();
    }

    public String text(String css) {
        return text(find(css));
    }

    /** The text of the element matching css now, or "" when there is none (for conditions of until()). */
    public String textNow(String css) {
        WebElement element = now(css);
        return element == null ? "" : text(element);
    }

    /**
     * The page's script errors since the last call (uncaught exceptions, console.error). Failed HTTP answers are
     * not errors here: the UI shows them (a 401 before signing in, a refused change).
     */
    public List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource") && !m.contains("/api/live"))
                .toList();
    }

    /** A screenshot once fonts are loaded and transitions are over; answers where it was written. */
    public Path screenshot(String name) {
        jsAsync("document.fonts.ready.then(() => requestAnimationFrame(() => setTimeout(arguments[0], 400)))");
        Path file = screenshotTo(artifactDir().resolve(name + ".png"));
        if (Boolean.getBoolean("classtop.updateScreenshots")) {
            Path docs = repositoryRoot().resolve("docs").resolve("screenshots").resolve(name + ".png");
            try {
                Files.createDirectories(docs.getParent());
                Files.copy(file, docs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    private Path screenshotTo(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (WebDriverException e) {
            return null;
        }
    }

    /** dist/target/screenshots (next to the distribution the tests run). */
    private static Path artifactDir() {
        return distDir().getParent().resolve("screenshots");
    }

    private static Path repositoryRoot() {
        return distDir().getParent().getParent().getParent();
    }

    private static Path distDir() {
        String dir = System.getProperty("classtop.dist.dir");
        if (dir == null) {
            throw new IllegalStateException("system property classtop.dist.dir is not set: run the tests through failsafe");
        }
        return Path.of(dir).toAbsolutePath();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp folder left behind is harmless
        }
    }
}
