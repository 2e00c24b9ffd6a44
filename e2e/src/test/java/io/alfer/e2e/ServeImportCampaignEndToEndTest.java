package io.alfer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alfer.cli.AlferCli;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.stack.StackJars;
import io.alfer.cli.stack.StackLayout;
import io.alfer.datasets.synthetic.SyntheticFer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the README walks a new user through, as that user runs it: {@code ./alfer serve} in one
 * terminal (the command line's own jar, as a process), then {@code import} of their own FER2013 CSV
 * with a few bad rows, {@code campaign start --pretrain --watch} to a finished campaign, {@code
 * campaign list}, {@code status}, and {@code down}, which stops serve and everything it started.
 */
class ServeImportCampaignEndToEndTest {
  static final Duration SERVE_READY = Duration.ofMinutes(4);

  @TempDir static Path home;

  static Process serve;
  static Path serveLog;

  @AfterAll
  static void stopEverything() throws InterruptedException {
    run("down", "--home", home.toString());
    if (serve != null && serve.isAlive()) {
      serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aUsersCsvGoesFromImportToAFinishedCampaignAndDownStopsEverything() throws Exception {
    serveLog = home.resolve("serve.out");
    ProcessBuilder builder =
        new ProcessBuilder(
                StackJars.java(),
                "-jar",
                StackJars.repositoryRoot().resolve("cli/target/alfer-cli.jar").toString(),
                "serve",
                "--home",
                home.toString(),
                "--base-port",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(serveLog.toFile());
    builder.environment().put("ALFER_KAFKA_PORT", Integer.toString(freePort()));
    builder.environment().put("ALFER_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
    builder.environment().put("ALFER_S3_PORT", Integer.toString(freePort()));
    serve = builder.start();
    StackLayout layout = new StackLayout(home);
    await("./alfer serve prints its URLs")
        .atMost(SERVE_READY)
        .pollInterval(Duration.ofMillis(500))
        .failFast("serve exited: " + log(), () -> !serve.isAlive())
        .until(() -> log().contains("alfer is serving"));
    assertThat(ServiceDirectory.read(layout))
        .get()
        .satisfies(
            d ->
                assertThat(d.urls())
                    .containsKeys("ingest", "trainer", "embed", "label", "oracle", "select"));
    assertThat(log()).contains("next, from another terminal:", "./alfer import");

    // The user's own CSV: 300 faces and two rows that are not.
    Path csv = home.resolve("my-faces.csv");
    try (OutputStream os = Files.newOutputStream(csv)) {
      new SyntheticFer(11).writeFer2013Csv(os, 300);
      os.write("3,1 2 3,Training\nseven,,Training\n".getBytes(StandardCharsets.US_ASCII));
    }
    Result imported =
        run(
            "import",
            csv.toString(),
            "--dataset",
            "mine",
            "--size",
            "32",
            "--home",
            home.toString());
    assertThat(imported.code()).as(imported.toString()).isZero();
    assertThat(imported.out())
        .contains("302 items read: 300 taken in, 0 already there, 2 refused")
        .contains("refused, by reason:", "my-faces.csv:")
        .contains("dataset mine: 300 images, 32x32");

    Result again =
        run(
            "import",
            csv.toString(),
            "--dataset",
            "mine",
            "--size",
            "32",
            "--home",
            home.toString());
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("0 taken in, 300 already there, 2 refused");

    Result otherSize =
        run(
            "import",
            csv.toString(),
            "--dataset",
            "mine",
            "--size",
            "48",
            "--home",
            home.toString());
    assertThat(otherSize.code()).as(otherSize.toString()).isEqualTo(1);
    assertThat(otherSize.err()).contains("32", "48");

    Result campaign =
        run(
            "campaign",
            "start",
            "--dataset",
            "mine",
            "--id",
            "mine-margin",
            "--pretrain",
            "--preset",
            "tiny",
            "--pretrain-epochs",
            "2",
            "--strategy",
            "margin",
            "--initial",
            "20",
            "--budget",
            "10",
            "--rounds",
            "1",
            "--vendor",
            "oracle",
            "--finetune-preset",
            "cpu-fast",
            "--finetune-epochs",
            "3",
            "--seed",
            "1",
            "--watch",
            "--home",
            home.toString());
    assertThat(campaign.code()).as(campaign.toString()).isZero();
    assertThat(campaign.out())
        .contains("pre-training epoch 2/2")
        .contains("campaign mine-margin on mine: margin")
        .containsPattern("(?m)^0 +20 +20 +[0-9.]+%")
        .containsPattern("(?m)^1 +10 +30 +[0-9.]+%")
        .contains("completed");

    Result refused =
        run(
            "campaign",
            "start",
            "--dataset",
            "mine",
            "--strategy",
            "no-such-strategy",
            "--home",
            home.toString());
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("select", "no-such-strategy");

    Result listed = run("campaign", "list", "--home", home.toString());
    assertThat(listed.code()).isZero();
    assertThat(listed.out()).containsPattern("mine-margin +mine +margin +completed +1/1 +30");

    Result status = run("status", "--home", home.toString());
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out()).containsPattern("ingest +ready").containsPattern("select +ready");

    Result down = run("down", "--home", home.toString());
    assertThat(down.code()).as(down.toString()).isZero();
    assertThat(down.out()).contains("stopped alfer serve");
    assertThat(serve.waitFor(2, TimeUnit.MINUTES)).as("serve exited").isTrue();
    assertThat(log()).contains("stopping select", "stopping ingest");
    Result after = run("status", "--home", home.toString());
    assertThat(after.code()).isEqualTo(3);
    assertThat(ServiceDirectory.read(layout)).isEmpty();
    try (var pids = Files.list(layout.run())) {
      List<Path> left = pids.toList();
      assertThat(left).as("pid files left").isEmpty();
    }
  }

  static String log() {
    try {
      return Files.exists(serveLog) ? Files.readString(serveLog) : "";
    } catch (IOException e) {
      return "";
    }
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AlferCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    System.out.print(out);
    System.out.print(err);
    return new Result(code, out.toString(), err.toString());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
