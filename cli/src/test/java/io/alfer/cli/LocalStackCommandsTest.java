package io.alfer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalStackCommandsTest {
  @TempDir Path home;

  @AfterEach
  void stopWhateverRuns() {
    run("down", "--home", home.toString());
  }

  @Test
  void upStartsKafkaAndS3OnceAndDownStopsThem() throws Exception {
    int kafkaPort = freePort();
    int controllerPort = freePort();
    int s3Port = freePort();
    String[] up = {
      "up",
      "--home",
      home.toString(),
      "--kafka-port",
      String.valueOf(kafkaPort),
      "--kafka-controller-port",
      String.valueOf(controllerPort),
      "--s3-port",
      String.valueOf(s3Port)
    };

    Result first = run(up);

    assertThat(first.exitCode()).as(first.toString()).isZero();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    String endpoint = "http://127.0.0.1:" + s3Port;
    assertThat(first.out()).contains("alfer stack is up", bootstrap, endpoint);
    try (Admin admin = admin(bootstrap)) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (Topic topic : Topic.values()) {
        assertThat(topics).contains(topic.topicName(), topic.dlqName());
      }
    }
    assertThat(new ObjectStore(S3Settings.local(endpoint)).bucketReachable()).isTrue();
    assertThat(Files.readString(home.resolve("stack.env")))
        .contains("export ALFER_KAFKA_BOOTSTRAP='" + bootstrap + "'")
        .contains("export ALFER_S3_ENDPOINT='" + endpoint + "'");
    ProcessHandle kafka = process("kafka");
    ProcessHandle s3 = process("s3proxy");
    assertThat(kafka.isAlive()).isTrue();
    assertThat(s3.isAlive()).isTrue();

    Result second = run(up);
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("already running at Kafka " + bootstrap);
    assertThat(process("kafka").pid()).isEqualTo(kafka.pid());

    Result status = run("status", "--home", home.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("kafka    running", "s3proxy  running");

    Result down = run("down", "--home", home.toString());
    assertThat(down.exitCode()).isZero();
    assertThat(down.out())
        .contains("stopped kafka (pid " + kafka.pid() + ")")
        .contains("stopped s3proxy (pid " + s3.pid() + ")");
    assertThat(kafka.isAlive()).isFalse();
    assertThat(s3.isAlive()).isFalse();
    assertThat(home.resolve("run/kafka.pid")).doesNotExist();

    Result again = run("down", "--home", home.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("nothing running");
    assertThat(run("status", "--home", home.toString()).exitCode())
        .isEqualTo(StatusCommand.NOT_RUNNING);
  }

  @Test
  void upRefusesATakenPortAndStartsNothing() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result up =
          run(
              "up",
              "--home",
              home.toString(),
              "--kafka-port",
              String.valueOf(freePort()),
              "--kafka-controller-port",
              String.valueOf(freePort()),
              "--s3-port",
              String.valueOf(taken.getLocalPort()));

      assertThat(up.exitCode()).isEqualTo(1);
      assertThat(up.err())
          .contains("port " + taken.getLocalPort() + " (S3) is already in use")
          .contains("--s3-port");
      assertThat(home.resolve("run/kafka.pid")).doesNotExist();
      assertThat(home.resolve("run/s3proxy.pid")).doesNotExist();
    }
  }

  @Test
  void stalePidFilesAreIgnoredAndRemoved() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Files.createDirectories(home.resolve("run"));
    Files.writeString(home.resolve("run/kafka.pid"), gone.pid() + "\n");
    Files.writeString(home.resolve("run/s3proxy.pid"), ProcessHandle.current().pid() + "\n");

    Result status = run("status", "--home", home.toString());
    assertThat(status.out()).contains("kafka    not running", "s3proxy  not running");

    Result down = run("down", "--home", home.toString());
    assertThat(down.out()).contains("nothing running");
    assertThat(home.resolve("run/kafka.pid")).doesNotExist();
    assertThat(home.resolve("run/s3proxy.pid")).doesNotExist();
  }

  private ProcessHandle process(String name) throws IOException {
    long pid = Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).strip());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " is not running"));
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AlferCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private record Result(int exitCode, String out, String err) {}
}
