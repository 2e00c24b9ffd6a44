package io.alfer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.demo.DemoRun;
import io.alfer.cli.demo.DemoServices;
import io.alfer.cli.demo.DemoSettings;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.service.TrainerClient;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackLayout;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.api.TrainingJobRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console and the labelling page in a real browser — Debian's headless Chromium driven through
 * its chromedriver — against the real services on the local stack (real Kafka and S3): an in-house
 * annotator labels a round by keyboard (undoing one answer on the way) and the console shows the
 * campaign move to its next round; a campaign is started from the console's form; a form the select
 * service refuses shows the refusal's reason. Without the browser the tests are skipped, saying
 * which packages to install.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserEndToEndTest {
  /**
   * Debian's headless-capable Chromium (package chromium); another with -Dalfer.browser.chromium.
   */
  static final Path CHROMIUM =
      Path.of(System.getProperty("alfer.browser.chromium", "/usr/bin/chromium"));

  /** Its driver (package chromium-driver); another with -Dalfer.browser.chromedriver. */
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("alfer.browser.chromedriver", "/usr/bin/chromedriver"));

  static final String DATASET = "console-fer";
  static final int IMAGES = 160;
  static final int INITIAL = 8;
  static final String CAMPAIGN = "browser-inhouse";

  /** The in-house vendor: registered with label, its API key's SHA-256 configured. */
  static final String VENDOR = "inhouse";

  static final String API_KEY = "inhouse-annotators-key-7c1e";

  static final Duration WAIT = Duration.ofMinutes(4);

  @TempDir static Path home;

  static final PrintWriter OUT = new PrintWriter(System.out, true);
  static Shutdown shutdown;
  static DemoServices services;
  static URI console;
  static WebDriver browser;
  static Path screenshots;
  static List<String> classes;

  /** Why the browser tests cannot run here, or null when they can. */
  static final String MISSING =
      Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)
          ? null
          : "skipped: the browser tests need Debian's headless Chromium and its driver (looked for"
              + " executables "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + "): apt-get install chromium chromium-driver";

  @BeforeAll
  static void startEverything() throws IOException {
    if (MISSING != null) {
      OUT.println("ConsoleBrowserEndToEndTest " + MISSING);
      return;
    }
    shutdown = new Shutdown(OUT);
    StackLayout layout = new StackLayout(home);
    LocalStack stack = new LocalStack(layout, OUT);
    shutdown.add("the local stack", stack::down);
    StackEnv env = stack.up(new StackPorts(freePort(), freePort(), freePort()));
    Path vendors = home.resolve("vendors.properties");
    Files.writeString(
        vendors,
        "alfer.label.vendors."
            + VENDOR
            + ".description=in-house annotators\n"
            + "alfer.label.vendors."
            + VENDOR
            + ".api-key-sha256="
            + sha256(API_KEY)
            + "\n");
    services =
        new DemoServices(
                layout,
                env,
                Map.of(
                    "label", Map.of("QUARKUS_CONFIG_LOCATIONS", vendors.toString()),
                    "select", Map.of("ALFER_SELECT_TICK", "PT0.5S"),
                    "console",
                        Map.of(
                            "ALFER_CONSOLE_POLL", "PT0.5S", "ALFER_CONSOLE_UNDO_WINDOW", "PT1S")))
            .start(shutdown, OUT);
    console = services.startConsole(shutdown, OUT).baseUri();
    DemoSettings settings =
        new DemoSettings(
            DATASET,
            IMAGES,
            32,
            5,
            "tiny",
            3,
            32,
            INITIAL,
            4,
            1,
            "cpu-fast",
            2,
            "margin",
            "random");
    JsonNode summary = new DemoRun(settings, services, OUT).importSynthetic(home);
    classes =
        java.util.stream.StreamSupport.stream(summary.path("taxonomy").spliterator(), false)
            .map(JsonNode::asText)
            .toList();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    // the system's driver, named explicitly: Selenium Manager is never asked to find or fetch one
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
    shutdown.add("the browser", browser::quit);
    browser.manage().window().setSize(new Dimension(1280, 1000));
    screenshots = Path.of(System.getProperty("alfer.console.screenshots", "target/screenshots"));
    Files.createDirectories(screenshots);
  }

  @BeforeEach
  void needsTheBrowser() {
    // each test is reported skipped with the reason (an assumption in @BeforeAll is reported as
    // no test at all, silently)
    Assumptions.assumeTrue(MISSING == null, MISSING);
  }

  @AfterAll
  static void stopEverything() {
    if (shutdown != null) {
      shutdown.run();
    }
  }

  @Test
  @Order(1)
  void anAnnotatorLabelsARoundByKeyboardAndTheConsoleShowsTheCampaignMoveOn() throws Exception {
    SelectClient select = new SelectClient(services.get("select").baseUri());
    select.create(
        new CampaignRequest(
            CAMPAIGN,
            DATASET,
            "margin",
            null,
            "random",
            INITIAL,
            null,
            4,
            null,
            1,
            null,
            null,
            "cpu-fast",
            "tiny",
            2,
            3L,
            List.of(VENDOR),
            1,
            "skip"));

    // the console shows round 0 waiting for labels
    open("#/campaigns/" + CAMPAIGN);
    until(WAIT, textOf("campaign-phase", "labelling"));
    assertThat(text("campaign-round")).contains("round 0");

    // the annotator signs in on the labelling page with the vendor's key
    browser.get(console.resolve("/label.html").toString());
    until(Duration.ofSeconds(20), visible("vendor"));
    signIn();
    until(WAIT, d -> !taskOnScreen().isEmpty() && imageLoaded());
    until(Duration.ofSeconds(20), textOf("progress-count", "0 of " + INITIAL));
    screenshot("labelling-page");

    // the first task: key 2, taken back with Z, then key 1; the others: key 1
    String first = taskOnScreen();
    press("2");
    until(Duration.ofSeconds(10), d -> !taskOnScreen().equals(first));
    press("z");
    until(Duration.ofSeconds(10), d -> taskOnScreen().equals(first));
    assertThat(text("message")).contains("taken back");
    String previous = null;
    for (int answered = 0; answered < INITIAL; answered++) {
      String task = taskOnScreen();
      assertThat(task).isNotEqualTo(previous);
      press("1");
      previous = task;
      int count = answered + 1;
      until(Duration.ofSeconds(20), textOf("progress-count", count + " of "));
      if (count < INITIAL) {
        String before = task;
        until(
            Duration.ofSeconds(20),
            d -> !taskOnScreen().isEmpty() && !taskOnScreen().equals(before));
      }
    }
    // every answer sent (after the undo window), nothing left for this vendor
    until(Duration.ofSeconds(30), d -> d.findElement(By.id("pending")).getText().isEmpty());
    until(WAIT, visible("empty"));

    // the console shows the campaign move on to round 1, with round 0's accuracy
    open("#/campaigns/" + CAMPAIGN);
    until(WAIT, d -> text("campaign-round").contains("round 1"));
    assertThat(
            browser.findElement(By.cssSelector(".round[data-round='0'] .round-accuracy")).getText())
        .endsWith("%");
    assertThat(
            browser.findElement(By.cssSelector(".round[data-round='0'] .round-labelled")).getText())
        .startsWith(INITIAL + " ");
    until(WAIT, textOf("campaign-phase", "labelling"));
    screenshot("campaign-page", 1700);

    // the label service took key 1 (the first class) for every image: the undone key 2 never left
    String csv = httpGet("/api/campaigns/" + CAMPAIGN + "/labels?format=csv");
    List<String> rows = csv.lines().skip(1).filter(l -> !l.isBlank()).toList();
    assertThat(rows).hasSize(INITIAL);
    assertThat(rows).allSatisfy(r -> assertThat(r.split(",")[5]).isEqualTo(classes.get(0)));
  }

  @Test
  @Order(2)
  void aCampaignStartsFromTheConsolesForm() throws Exception {
    open("#/new");
    until(
        Duration.ofSeconds(20),
        d -> d.findElements(By.cssSelector("select[name=dataset] option")).size() > 1);
    fill("campaignId", "browser-form");
    new Select(browser.findElement(By.name("dataset"))).selectByValue(DATASET);
    fill("initialSize", "6");
    fill("rounds", "0");
    new Select(browser.findElement(By.name("finetunePreset"))).selectByValue("cpu-fast");
    new Select(browser.findElement(By.name("encoderPreset"))).selectByValue("tiny");
    fill("finetuneMaxEpochs", "2");
    fill("vendors", "oracle");
    screenshot("campaign-form");
    browser.findElement(By.id("campaign-submit")).click();

    until(Duration.ofSeconds(30), d -> d.getCurrentUrl().endsWith("#/campaigns/browser-form"));
    // with the oracle answering at once and no round after the first, it may have completed already
    until(Duration.ofSeconds(30), d -> text("campaign-state").matches("running|completed"));
    JsonNode created = new SelectClient(services.get("select").baseUri()).campaign("browser-form");
    assertThat(created.path("spec").path("dataset").asText()).isEqualTo(DATASET);
    assertThat(created.path("spec").path("resolvedInitialSize").asInt()).isEqualTo(6);
    assertThat(created.path("spec").path("vendors").get(0).asText()).isEqualTo("oracle");
  }

  @Test
  @Order(3)
  void aRefusedFormShowsTheRefusalsReason() throws Exception {
    open("#/new");
    until(
        Duration.ofSeconds(20),
        d -> d.findElements(By.cssSelector("select[name=dataset] option")).size() > 1);
    fill("campaignId", "browser-refused");
    new Select(browser.findElement(By.name("dataset"))).selectByValue(DATASET);
    fill("initialSize", "1"); // an initial set under 2 images
    fill("rounds", "0");
    browser.findElement(By.id("campaign-submit")).click();

    until(Duration.ofSeconds(20), visible("form-refusal"));
    assertThat(browser.findElement(By.cssSelector("#form-refusal .reason")).getText())
        .isEqualTo("impossible_size");
    assertThat(browser.findElement(By.cssSelector("#form-refusal .message")).getText())
        .isNotBlank();
    assertThat(browser.getCurrentUrl()).endsWith("#/new");
    HttpResponse<String> none =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(console.resolve("/api/campaigns/browser-refused")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(404);
    screenshot("campaign-form-refused");
  }

  @Test
  @Order(4)
  void campaignsDatasetsPretrainingVendorsAndHealthPagesShowTheServicesViews() throws Exception {
    open("#/campaigns");
    until(
        Duration.ofSeconds(30),
        d -> d.findElements(By.cssSelector("#campaigns tr[data-campaign]")).size() >= 2);
    until(Duration.ofSeconds(30), d -> !d.findElements(By.cssSelector("#side-by-side")).isEmpty());
    assertThat(
            browser
                .findElement(By.cssSelector("#campaigns tr[data-campaign='" + CAMPAIGN + "']"))
                .getText())
        .contains("running");
    assertThat(browser.findElements(By.cssSelector("#accuracy-chart circle"))).isNotEmpty();
    screenshot("campaigns-page");

    open("#/datasets/" + DATASET);
    until(
        Duration.ofSeconds(30),
        d -> d.findElements(By.cssSelector(".gallery-class img")).size() >= classes.size());
    until(Duration.ofSeconds(30), d -> allImagesLoaded(".gallery-class img"));
    assertThat(browser.findElement(By.cssSelector(".dataset")).getText())
        .contains(IMAGES + " images");
    screenshot("dataset-page");

    new TrainerClient(services.get("trainer").baseUri())
        .submit(
            TrainingJobRequest.pretrain(
                "browser-pretrain",
                new TrainingJobRequest.Pretrain(DATASET, "tiny", 3, 32, null, null, null, 5L)));
    open("#/pretraining");
    until(
        WAIT,
        d ->
            d.findElement(By.cssSelector(".job[data-job='browser-pretrain']"))
                .getText()
                .contains("epoch 3 of 3"));
    until(
        WAIT,
        d ->
            d.findElement(By.cssSelector(".job[data-job='browser-pretrain'] .badge"))
                .getText()
                .equals("succeeded"));
    assertThat(browser.findElements(By.cssSelector(".job[data-job='browser-pretrain'] svg circle")))
        .hasSizeGreaterThanOrEqualTo(6);
    screenshot("pretraining-page");

    open("#/vendors");
    until(
        Duration.ofSeconds(30),
        d -> !d.findElements(By.cssSelector("tr[data-vendor='" + VENDOR + "']")).isEmpty());
    List<WebElement> cells =
        browser.findElements(By.cssSelector("tr[data-vendor='" + VENDOR + "'] td"));
    assertThat(Integer.parseInt(cells.get(3).getText())).isGreaterThanOrEqualTo(INITIAL);
    screenshot("vendors-page");

    open("#/health");
    until(
        Duration.ofSeconds(30),
        d -> d.findElements(By.cssSelector("#health tr[data-service]")).size() == 6);
    until(
        Duration.ofSeconds(60),
        d ->
            d.findElements(By.cssSelector("#health tr[data-service] td:nth-child(2) .badge.UP"))
                    .size()
                == 6);
    screenshot("health-page");
  }

  @Test
  @Order(5)
  void theLabellingPageSaysWhenTheTaskOnScreenWasAnsweredElsewhere() throws Exception {
    // round 1 of the first campaign waits for the in-house vendor's four answers
    browser.get(console.resolve("/label.html").toString());
    until(Duration.ofSeconds(20), d -> visible("vendor").apply(d) || visible("work").apply(d));
    if (browser.findElement(By.id("vendor")).isDisplayed()) {
      signIn();
    }
    until(WAIT, d -> !taskOnScreen().isEmpty());
    String task = taskOnScreen();

    // another annotator of the vendor answers it, straight through label's vendor API
    HttpResponse<String> answered =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        services
                            .get("label")
                            .baseUri()
                            .resolve("/vendor/tasks/" + task + "/result"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"label\":\"" + classes.get(1) + "\",\"annotator\":\"ann-2\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(202);

    until(Duration.ofSeconds(30), d -> text("message").contains("was answered elsewhere"));
    assertThat(taskOnScreen()).isNotEqualTo(task);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static void signIn() {
    browser.findElement(By.id("vendor")).sendKeys(VENDOR);
    browser.findElement(By.id("api-key")).sendKeys(API_KEY);
    browser.findElement(By.id("annotator")).sendKeys("ann-1");
    browser.findElement(By.id("signin-submit")).click();
  }

  static void open(String route) {
    browser.get(console.resolve("/index.html" + route).toString());
  }

  static void until(Duration timeout, java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, timeout, Duration.ofMillis(200))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  static java.util.function.Function<WebDriver, Boolean> textOf(String id, String part) {
    return d -> d.findElement(By.id(id)).getText().contains(part);
  }

  static java.util.function.Function<WebDriver, Boolean> visible(String id) {
    return d -> d.findElement(By.id(id)).isDisplayed();
  }

  static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  static String taskOnScreen() {
    List<WebElement> images =
        browser.findElements(By.cssSelector(".stage:not([hidden]) #task-image"));
    if (images.isEmpty() || !images.get(0).isDisplayed()) {
      return "";
    }
    String id = images.get(0).getAttribute("data-task-id");
    return id == null ? "" : id;
  }

  static boolean imageLoaded() {
    return allImagesLoaded("#task-image");
  }

  static boolean allImagesLoaded(String css) {
    Object loaded =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll(arguments[0])].every(i => i.complete && i.naturalWidth > 0);",
                css);
    return Boolean.TRUE.equals(loaded);
  }

  static void press(String key) {
    new Actions(browser).sendKeys(key).perform();
  }

  static void fill(String name, String value) {
    WebElement input = browser.findElement(By.name(name));
    input.clear();
    input.sendKeys(value);
  }

  static void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(screenshots.resolve("console-" + name + ".png"), png);
  }

  /** A screenshot of a taller window (a long page), the window's size restored after. */
  static void screenshot(String name, int height) throws IOException {
    browser.manage().window().setSize(new Dimension(1280, height));
    try {
      screenshot(name);
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  static String httpGet(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(console.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response.body();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
