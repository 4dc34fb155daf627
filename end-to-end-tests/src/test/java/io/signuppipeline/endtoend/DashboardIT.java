package io.signuppipeline.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.signuppipeline.endtoend.crm.CrmSyncWorker;
import io.signuppipeline.events.Worker;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.TestServices;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver,
 * against the five services started from their jars (the API in its {@code demo} profile), WireMock
 * at the lesson's latencies and GreenMail; then a sixth process's worth, a fifth worker, joins in.
 *
 * <p>The browser must be installed ({@code .ci/run} installs it): without it this test fails, it
 * never skips. Screenshots go to {@code target/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    /** Debian's chromium and chromedriver; elsewhere (the hosted CI's Chrome) named by these variables. */
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SIGNUP_TEST_CHROMIUM",
            "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("SIGNUP_TEST_CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    private static final List<String> STEPS = Worker.steps();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WireMockServer mocks;
    static GreenMail smtp;
    static ServicePipeline pipeline;
    static Map<String, String> environment;
    static WebDriver browser;

    @BeforeAll
    static void startThePipelineAndTheBrowser() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's chromium and chromium-driver must be installed (apt-get install chromium chromium-driver; "
                        + ".ci/run does it): %s and %s", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        mocks = MockApis.start();
        MockApis.applyLessonLatency(mocks);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        environment = ServiceEnvironment.of(TestServices.get(), mocks.baseUrl(), smtp.getSmtp().getPort());
        pipeline = ServicePipeline.start(environment, List.of("--spring.profiles.active=demo"), List.of());
        browser = chromium();
        browser.get(pipeline.api().baseUrl() + "/");
        waitUpTo(Duration.ofSeconds(10)).until(page -> text(By.id("connection")).startsWith("Live"));
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (mocks != null) {
            mocks.stop();
        }
    }

    /** What the page loaded and ran on opening, its stylesheet, script and live stream, raised no error. */
    @Test
    @Order(0)
    void thePageOpensWithNoErrorInTheBrowsersConsole() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();

        assertThat(errors).isEmpty();
    }

    @Test
    @Order(1)
    void aSignupFromTheFormAppearsAndItsFourStepsTurnDone() throws IOException {
        browser.findElement(By.id("email")).sendKeys("ada-" + UUID.randomUUID() + "@example.com");
        browser.findElement(By.id("name")).sendKeys("Ada Lovelace");
        browser.findElement(By.cssSelector("#signup-form button[type=submit]")).click();

        String signupId = waitUpTo(Duration.ofSeconds(10)).until(page ->
                browser.findElement(By.id("signup-result")).getDomAttribute("data-signup-id"));
        By row = By.cssSelector("tr[data-signup-id='" + signupId + "']");
        waitUpTo(Duration.ofSeconds(10)).until(page -> !browser.findElements(row).isEmpty());
        assertThat(browser.findElement(row).findElement(By.className("email")).getText()).isEqualTo("a***@example.com");

        waitUpTo(Duration.ofSeconds(15)).until(page -> stepStates(row).equals(List.of("DONE", "DONE", "DONE", "DONE")));
        assertThat(browser.findElement(row).findElement(By.className("user-status")).getText()).isEqualTo("ACTIVE");
        assertThat(stepCell(row, "billing").getText()).contains("ms", "cus_");
        assertThat(stepCell(row, "fraud").getText()).contains("APPROVE");

        // The worker panels: each breaker read from the worker's own health, its consumers from the broker,
        // whose management statistics lag the consumers by up to five seconds.
        for (String worker : ServicePipeline.WORKERS) {
            waitUpTo(Duration.ofSeconds(10)).until(page -> figure(worker, "breaker").equals("CLOSED (consuming)"));
            waitUpTo(Duration.ofSeconds(15)).until(page -> figure(worker, "consumers").matches("[1-9][0-9]*"));
        }
        screenshot("dashboard.png");
    }

    /**
     * Enough signups that the fraud worker, 200 calls in flight at the lesson's latencies, holds them
     * for several seconds: the broker's figures on the page are refreshed every five.
     */
    private static final int BURST = 2_000;

    @Test
    @Order(2)
    void theDemoControlFiresABurstThatFillsTheQueuesAndDrains() throws IOException {
        long doneBefore = done("email-worker");
        WebElement count = browser.findElement(By.id("burst-count"));
        count.clear();
        count.sendKeys(String.valueOf(BURST));
        browser.findElement(By.cssSelector("#demo-form button[type=submit]")).click();

        waitUpTo(Duration.ofSeconds(10)).until(page -> text(By.id("demo-result")).startsWith("Firing " + BURST));
        // The fraud worker's downstream is the slowest (200-500 ms): its queue is seen holding messages,
        // waiting or taken by its consumers' batches, and draining.
        waitUpTo(Duration.ofSeconds(30)).until(page -> Long.parseLong(figure("fraud-worker", "ready"))
                + Long.parseLong(figure("fraud-worker", "unacknowledged")) > 0
                && Double.parseDouble(figure("fraud-worker", "perSecond")) > 0);
        screenshot("dashboard-burst.png");
        waitUpTo(Duration.ofSeconds(120)).until(page -> ServicePipeline.WORKERS.stream()
                .allMatch(worker -> done(worker) >= doneBefore + BURST && figure(worker, "ready").equals("0")));
        assertThat(figure("email-worker", "deadLettered")).isEqualTo("0");
    }

    @Test
    @Order(3)
    void replayingParkedMessagesNeedsTheAdminPassword() {
        By result = By.id("replay-result");
        WebElement password = browser.findElement(By.id("admin-password"));
        password.clear();
        password.sendKeys("not-the-password");
        replayButton("notify-worker").click();
        waitUpTo(Duration.ofSeconds(10)).until(page -> text(result).contains("refused the admin credential"));

        password.clear();
        password.sendKeys(environment.get(ServiceEnvironment.ADMIN_PASSWORD));
        replayButton("notify-worker").click();
        waitUpTo(Duration.ofSeconds(10)).until(page -> text(result).equals("notify-worker replayed 0 parked message(s)."));
    }

    /**
     * The lesson's promise, checked: a new side effect binds its own queue, and the producer is
     * neither changed nor restarted. A fifth worker, one class on reliable-messaging, starts beside
     * the running pipeline; the open page grows its column and panel, and a new signup is DONE in
     * five steps, on the page and on the API.
     */
    @Test
    @Order(4)
    void aFifthWorkerJoinsTheRunningPipelineWithoutTheApiBeingChangedOrRestarted() throws Exception {
        long apiPid = pipeline.api().pid();
        mocks.stubFor(post(urlPathEqualTo("/crm/contacts")).willReturn(aResponse().withStatus(201)
                .withHeader("Location", "/crm/contacts/c-42")));
        Map<String, Object> crm = new HashMap<>(TestServices.get().springProperties());
        crm.putAll(Map.of("spring.application.name", "crm-worker", "crm.url", mocks.baseUrl(),
                "spring.datasource.hikari.schema", "crm", "spring.flyway.schemas", "crm",
                "spring.flyway.default-schema", "crm", "spring.rabbitmq.publisher-confirm-type", "correlated",
                "spring.rabbitmq.publisher-returns", "true"));
        try (ConfigurableApplicationContext worker = CrmSyncWorker.start(crm)) {
            waitUpTo(Duration.ofSeconds(30)).until(page -> !browser.findElements(
                    By.cssSelector("article[data-worker='crm-worker']")).isEmpty());

            String earlierSignup = browser.findElement(By.id("signup-result")).getDomAttribute("data-signup-id");
            browser.findElement(By.id("email")).sendKeys("grace-" + UUID.randomUUID() + "@example.com");
            browser.findElement(By.id("name")).sendKeys("Grace Hopper");
            browser.findElement(By.cssSelector("#signup-form button[type=submit]")).click();
            String signupId = waitUpTo(Duration.ofSeconds(10)).until(page -> {
                String id = browser.findElement(By.id("signup-result")).getDomAttribute("data-signup-id");
                return id == null || id.equals(earlierSignup) ? null : id;
            });
            By row = By.cssSelector("tr[data-signup-id='" + signupId + "']");
            List<String> fiveSteps = Stream.concat(STEPS.stream(), Stream.of("crm")).toList();
            waitUpTo(Duration.ofSeconds(20)).until(page -> fiveSteps.stream()
                    .allMatch(step -> !browser.findElements(row).isEmpty()
                            && stepCell(row, step).getAttribute("class").contains("state-done")));
            assertThat(stepCell(row, "crm").getText()).contains("/crm/contacts/c-42");
            // In the order the steps became known: the four workers started side by side, the fifth last.
            List<String> columns = browser.findElements(By.cssSelector("#signups thead th[data-step]")).stream()
                    .map(th -> th.getDomAttribute("data-step")).toList();
            assertThat(columns).containsExactlyInAnyOrderElementsOf(fiveSteps).last().isEqualTo("crm");
            screenshot("dashboard-fifth-step.png");

            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(
                    URI.create(pipeline.api().baseUrl() + "/api/signups/" + signupId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode steps = JSON.readTree(read.body()).get("steps");
            assertThat(steps.propertyNames()).containsExactlyElementsOf(columns);
            steps.forEach(step -> assertThat(step.get("state").asString()).isEqualTo("DONE"));
            mocks.verify(1, postRequestedFor(urlPathEqualTo("/crm/contacts"))
                    .withRequestBody(containing(signupId)));
            assertThat(pipeline.api().pid()).as("the same signup-api process").isEqualTo(apiPid);
        } finally {
            // Retired, as scripts/steps.sh retire does, so that later signups of this run wait for four steps.
            try (Connection database = DriverManager.getConnection(TestServices.get().postgres().jdbcUrl(),
                    TestServices.get().postgres().username(), TestServices.get().postgres().password())) {
                database.createStatement().executeUpdate("UPDATE signup.steps SET retired_at = now() WHERE step = 'crm'");
            }
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1400");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(driver, options);
    }

    private static WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(NumberFormatException.class);
        return wait;
    }

    private static String text(By locator) {
        return browser.findElement(locator).getText();
    }

    private static List<String> stepStates(By row) {
        return STEPS.stream().map(step -> stepCell(row, step).findElement(By.className("state")).getText()).toList();
    }

    private static WebElement stepCell(By row, String step) {
        return browser.findElement(row).findElement(By.cssSelector("td[data-step='" + step + "']"));
    }

    private static String figure(String worker, String figure) {
        return text(By.cssSelector("article[data-worker='" + worker + "'] [data-figure='" + figure + "']"));
    }

    /** Steps done as the worker's panel shows them, "done / failed". */
    private static long done(String worker) {
        return Long.parseLong(figure(worker, "results").split(" / ")[0]);
    }

    private static WebElement replayButton(String worker) {
        return browser.findElement(By.cssSelector("button.replay[data-worker='" + worker + "']"));
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Files.createDirectories(Path.of("target")).resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
