package io.alfer.core.messaging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates every topic of {@link Topic} and its dead-letter topic on a cluster (the local stack,
 * tests): catalog topics compacted, dead-letter topics with the delete policy (a failure must not
 * be compacted away).
 */
public final class TopicSetup {
  /** Partitions of each topic on the local stack and in tests. */
  public static final int PARTITIONS = 3;

  private TopicSetup() {}

  /** The names of every alfer topic and every dead-letter topic. */
  public static Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Topic topic : Topic.values()) {
      names.add(topic.topicName());
      names.add(topic.dlqName());
    }
    return names;
  }

  /** The topics to create, with {@code partitions} partitions and replication factor 1. */
  public static List<NewTopic> newTopics(int partitions) {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      String policy =
          topic.compacted()
              ? TopicConfig.CLEANUP_POLICY_COMPACT
              : TopicConfig.CLEANUP_POLICY_DELETE;
      topics.add(
          new NewTopic(topic.topicName(), partitions, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy)));
      topics.add(
          new NewTopic(topic.dlqName(), partitions, (short) 1)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
    }
    return topics;
  }

  /**
   * Creates the topics that do not exist yet; existing ones are left as they are.
   *
   * @return the names of the topics created
   */
  public static Set<String> createMissing(Admin admin, int partitions) {
    return createMissing(admin, newTopics(partitions));
  }

  /**
   * Creates those of {@code topics} that do not exist yet; existing ones are left as they are.
   *
   * @return the names of the topics created
   */
  public static Set<String> createMissing(Admin admin, List<NewTopic> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
      Set<String> created = new LinkedHashSet<>();
      missing.forEach(t -> created.add(t.name()));
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the alfer topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the alfer topics: " + e.getMessage(), e);
    }
  }
}
