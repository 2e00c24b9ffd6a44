package io.alfer.cli.stack;

import io.alfer.core.messaging.Topic;
import java.util.ArrayList;
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
 * Creates the missing alfer topics and their dead-letter topics: catalog topics compacted,
 * dead-letter topics with the delete policy.
 */
final class TopicSetup {
  /** Partitions of each topic on the local stack. */
  static final int PARTITIONS = 3;

  private TopicSetup() {}

  /** Creates what is missing and returns how many topics were created. */
  static int createMissing(Admin admin) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = wanted().stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
      return missing.size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StackException("cannot create the alfer topics: " + e.getMessage(), e);
    }
  }

  private static List<NewTopic> wanted() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(newTopic(topic.topicName(), topic.compacted()));
      topics.add(newTopic(topic.dlqName(), false));
    }
    return topics;
  }

  private static NewTopic newTopic(String name, boolean compacted) {
    String policy =
        compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
    return new NewTopic(name, PARTITIONS, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy));
  }
}
