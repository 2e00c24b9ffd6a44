package io.alfer.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: points the application at the JVM's shared {@link EmbeddedKafka}. Use with
 * {@code @QuarkusTestResource(KafkaTestResource.class)} (or {@code @WithTestResource}).
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

  /** The bootstrap servers of the shared broker (started if needed). */
  public static String bootstrapServers() {
    return EmbeddedKafka.shared().bootstrapServers();
  }

  @Override
  public Map<String, String> start() {
    String servers = bootstrapServers();
    return Map.of(
        "kafka.bootstrap.servers",
        servers,
        "mp.messaging.connector.smallrye-kafka.bootstrap.servers",
        servers,
        // the broker runs in the test's JVM: its INFO lines (partitions created, logs loaded,
        // controller records) would drown the test output; warnings and errors still show
        "quarkus.log.category.\"kafka\".level",
        "WARN",
        "quarkus.log.category.\"state.change.logger\".level",
        "WARN",
        "quarkus.log.category.\"org.apache.kafka\".level",
        "WARN");
  }

  /** Leaves the broker running: the next test class reuses it; it stops when the JVM exits. */
  @Override
  public void stop() {}
}
