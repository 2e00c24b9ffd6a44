package io.alfer.testkit;

import io.alfer.core.messaging.TopicSetup;
import io.alfer.core.messaging.VendorTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real Apache Kafka broker (KRaft, one combined broker and controller) running inside the test
 * JVM, with every alfer topic and dead-letter topic created.
 *
 * <p>When the environment variable {@value #EXTERNAL_BOOTSTRAP_ENV} is set, no broker is started:
 * that cluster is used instead (the topics are still created when missing).
 *
 * <p>Most tests share one broker per JVM through {@link #shared()}.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final List<String> QUIET_LOGGERS =
      List.of("kafka", "state.change.logger", "org.apache.kafka");
  private static final List<java.util.logging.Logger> KEPT_LOGGERS = new ArrayList<>();

  /** Environment variable naming an external cluster's bootstrap servers. */
  public static final String EXTERNAL_BOOTSTRAP_ENV = "ALFER_TEST_KAFKA_BOOTSTRAP";

  /** System property holding the bootstrap servers of the JVM's shared broker. */
  public static final String SHARED_PROPERTY = "alfer.testkit.kafka.bootstrap";

  /**
   * The vendors the services' test profiles register; their topics ({@link VendorTopics}) are
   * created with alfer's, so that a test can probe them before any service has started.
   */
  public static final List<String> TEST_VENDORS = List.of("oracle", "acme", "globex");

  private static EmbeddedKafka shared;

  private final Map<String, String> env;
  private KafkaClusterTestKit cluster;
  private String bootstrapServers;

  /** A broker configured from the process environment. */
  public EmbeddedKafka() {
    this(System.getenv());
  }

  /** A broker configured from {@code env} (see {@value #EXTERNAL_BOOTSTRAP_ENV}). */
  public EmbeddedKafka(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The broker of this JVM: started on first use, stopped when the JVM exits. One per JVM even
   * across class loaders (Quarkus loads tests anew when it restarts an application): the first one
   * records its address in the system property {@value #SHARED_PROPERTY}, later ones reuse it.
   */
  public static synchronized EmbeddedKafka shared() {
    if (shared == null) {
      String running = System.getProperty(SHARED_PROPERTY);
      if (running != null) {
        shared = new EmbeddedKafka(Map.of(EXTERNAL_BOOTSTRAP_ENV, running));
        shared.start();
      } else {
        EmbeddedKafka kafka = new EmbeddedKafka();
        String servers = kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "alfer-embedded-kafka-stop"));
        System.setProperty(SHARED_PROPERTY, servers);
        shared = kafka;
      }
    }
    return shared;
  }

  /**
   * Starts the broker (or connects to the external cluster) and creates the alfer topics and those
   * of the {@link #TEST_VENDORS}. Calling it again returns the same address.
   *
   * @return the bootstrap servers, e.g. {@code localhost:41234}
   */
  public synchronized String start() {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    String external = env.get(EXTERNAL_BOOTSTRAP_ENV);
    quietBroker();
    String servers = external == null || external.isBlank() ? startBroker() : external.strip();
    try (Admin admin = admin(servers)) {
      TopicSetup.createMissing(admin, TopicSetup.PARTITIONS);
      TopicSetup.createMissing(
          admin,
          TEST_VENDORS.stream()
              .flatMap(v -> VendorTopics.newTopics(v, TopicSetup.PARTITIONS).stream())
              .toList());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    bootstrapServers = servers;
    return servers;
  }

  /**
   * The broker runs in the test's JVM, and its INFO lines (each partition created, each log loaded)
   * would bury the test output: its loggers and its clients' are set to warnings. Through
   * java.util.logging, which is the log manager of a Quarkus test; JVMs that log through Log4j 2
   * take the same levels from this kit's {@code log4j2-test.properties}.
   */
  private static void quietBroker() {
    for (String name : QUIET_LOGGERS) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.WARNING);
      KEPT_LOGGERS.add(logger); // a logger nobody holds may be collected, and its level with it
    }
  }

  /** The bootstrap servers of the running broker. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("EmbeddedKafka is not started: call start() first");
    }
    return bootstrapServers;
  }

  /** Whether this uses an external cluster rather than a broker of its own. */
  public boolean external() {
    String external = env.get(EXTERNAL_BOOTSTRAP_ENV);
    return external != null && !external.isBlank();
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin admin() {
    return admin(bootstrapServers());
  }

  /**
   * The broker runs in the test's JVM, and Kafka ends the process on a fault it deems fatal ({@code
   * Exit.exit} / {@code Exit.halt}) — for a test JVM that would be an exit without a word after the
   * tests passed. Here such a call says what Kafka wanted, on stderr, and fails the Kafka thread
   * that made it instead.
   */
  private static void keepTheJvm() {
    Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
    Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
  }

  private static void refuse(String what, int status, String message) {
    String text =
        "the embedded Kafka broker asked to %s the JVM with status %d (%s) on thread %s; refused"
            .formatted(what, status, message, Thread.currentThread().getName());
    System.err.println(text);
    throw new IllegalStateException(text);
  }

  /** Stops the broker and deletes its data; an external cluster is left alone. */
  @Override
  public synchronized void close() {
    bootstrapServers = null;
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot stop the embedded Kafka broker: " + e.getMessage(), e);
    } finally {
      cluster = null;
    }
  }

  private String startBroker() {
    keepTheJvm();
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    try {
      cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "3")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("num.partitions", String.valueOf(TopicSetup.PARTITIONS))
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return cluster.bootstrapServers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  private static Admin admin(String servers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return Admin.create(props);
  }
}
