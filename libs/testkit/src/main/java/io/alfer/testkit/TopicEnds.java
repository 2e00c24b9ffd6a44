package io.alfer.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of a few topics, read again at every {@link #get()}: what a test compares before
 * and after a request to show that nothing was written (e.g. {@code HttpFuzz.unchangedBy}). Reads
 * through an Admin client: a consumer without an assignment would log a warning per call.
 */
public final class TopicEnds implements Supplier<Map<TopicPartition, Long>>, AutoCloseable {
  private final Admin admin;
  private final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();

  /** The ends of {@code topics}' partitions on the broker at {@code bootstrapServers}. */
  public TopicEnds(String bootstrapServers, List<String> topics) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    try {
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (name, d) ->
                  d.partitions()
                      .forEach(
                          p ->
                              latest.put(
                                  new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    } catch (Exception e) {
      admin.close();
      throw new IllegalStateException("cannot describe " + topics, e);
    }
  }

  @Override
  public Map<TopicPartition, Long> get() {
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (Exception e) {
      throw new AssertionError("reading the ends of " + latest.keySet(), e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
