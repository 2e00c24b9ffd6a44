package io.alfer.cli.stack;

import io.alfer.core.messaging.TopicSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A standalone Apache Kafka broker in its own JVM: KRaft, one node that is both broker and
 * controller, listening on 127.0.0.1, its data under {@code ALFER_HOME/kafka}.
 */
final class LocalKafka {
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final String LOG_CONFIG =
      String.join(
          "\n",
          "# Written by `alfer up`: the broker logs to stdout, which goes to logs/kafka.log.",
          "appender.out.type=Console",
          "appender.out.name=out",
          "appender.out.layout.type=PatternLayout",
          "appender.out.layout.pattern=[%d] %p %m (%c)%n",
          "rootLogger.level=INFO",
          "rootLogger.appenderRef.out.ref=out",
          "");

  private final StackLayout layout;
  private final Daemon daemon;

  LocalKafka(StackLayout layout) {
    this.layout = layout;
    this.daemon = new Daemon("kafka", layout, STOP_GRACE);
  }

  Daemon daemon() {
    return daemon;
  }

  static String bootstrap(int port) {
    return "127.0.0.1:" + port;
  }

  /** Writes the configuration, formats the storage on first use and starts the broker. */
  Process launch(StackJars jars, int port, int controllerPort) {
    Path config = layout.kafka().resolve("server.properties");
    Path logConfig = layout.kafka().resolve("log4j2.properties");
    write(config, serverProperties(port, controllerPort));
    write(logConfig, LOG_CONFIG);
    if (!Files.exists(dataDir().resolve("meta.properties"))) {
      format(jars, config);
    }
    return daemon.start(
        List.of(
            StackJars.java(),
            "-Xms256m",
            "-Xmx1g",
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + logConfig,
            daemon.marker(),
            "-cp",
            classpath(jars),
            "kafka.Kafka",
            config.toString()));
  }

  /** Waits until the broker answers an admin request. */
  void awaitReady(Process process, int port, Waiter waiter) {
    try (Admin admin = admin(bootstrap(port))) {
      waiter.await(
          "Kafka on " + bootstrap(port),
          READY_TIMEOUT,
          () -> answers(admin),
          () -> !process.isAlive(),
          () -> "see " + daemon.logFile() + ":\n" + daemon.logTail(20));
    }
  }

  static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    return Admin.create(props);
  }

  private Path dataDir() {
    return layout.kafka().resolve("data");
  }

  private String serverProperties(int port, int controllerPort) {
    String broker = "127.0.0.1:" + port;
    String controller = "127.0.0.1:" + controllerPort;
    return String.join(
        "\n",
        "# Written by `alfer up`: one KRaft node, broker and controller, on loopback.",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + broker,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir(),
        "num.partitions=" + TopicSetup.PARTITIONS,
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  private void format(StackJars jars, Path config) {
    List<String> command =
        List.of(
            StackJars.java(),
            "-Xmx256m",
            "-cp",
            classpath(jars),
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--config",
            config.toString());
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(daemon.logFile().toFile()))
              .start();
      if (!process.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new StackException("formatting Kafka's storage timed out; see " + daemon.logFile());
      }
      if (process.exitValue() != 0) {
        throw new StackException(
            "formatting Kafka's storage failed; see "
                + daemon.logFile()
                + ":\n"
                + daemon.logTail(10));
      }
    } catch (IOException e) {
      throw new StackException("cannot format Kafka's storage: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while formatting Kafka's storage", e);
    }
  }

  private static boolean answers(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  private static String classpath(StackJars jars) {
    return jars.lib().resolve("*").toString();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
