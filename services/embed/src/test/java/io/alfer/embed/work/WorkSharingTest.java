package io.alfer.embed.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in one consumer group on the real broker: each partition of alfer.images is owned by
 * exactly one of them, so every image is in exactly one replica's share; when one leaves, the other
 * takes its partitions over and replays them.
 */
class WorkSharingTest {
  private static final int IMAGES = 60;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void twoReplicasSplitThePartitionsAndEveryImageHasOneOwner() {
    String bootstrap = KafkaTestResource.bootstrapServers();
    String group = "embed-sharing-" + UUID.randomUUID();
    String dataset = "sharing-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> dead = new CopyOnWriteArrayList<>();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    List<String> ids = new ArrayList<>();
    try (ImagePartitions a = new ImagePartitions(bootstrap, group, deadLetter(dead));
        ImagePartitions b = new ImagePartitions(bootstrap, group, deadLetter(dead))) {
      a.start(ra);
      b.start(rb);
      int partitions = 3;
      await("both replicas own a disjoint share of every partition")
          .atMost(WAIT)
          .until(
              () ->
                  a.caughtUp()
                      && b.caughtUp()
                      && !a.owned().isEmpty()
                      && !b.owned().isEmpty()
                      && a.owned().size() + b.owned().size() == partitions);
      assertThat(a.partitionCount()).isEqualTo(partitions);
      Set<Integer> union = new HashSet<>(a.owned());
      union.addAll(b.owned());
      assertThat(union).containsExactlyInAnyOrder(0, 1, 2);
      assertThat(a.owned()).doesNotContainAnyElementsOf(b.owned());

      try (RawProducer producer = new RawProducer(bootstrap)) {
        for (int i = 0; i < IMAGES; i++) {
          String id = String.format("%032x", (long) i * 7919 + dataset.hashCode());
          ids.add(id);
          producer.send(Topic.IMAGES.topicName(), id, event(id, dataset).toByteArray());
        }
      }
      await("every image reached its owner")
          .atMost(WAIT)
          .until(() -> share(a, dataset).size() + share(b, dataset).size() == IMAGES);
      List<String> inA = share(a, dataset);
      List<String> inB = share(b, dataset);
      assertThat(inA).isNotEmpty().doesNotContainAnyElementsOf(inB);
      assertThat(
              new HashSet<>(inA) {
                {
                  addAll(inB);
                }
              })
          .containsExactlyInAnyOrderElementsOf(ids);
      // Live images are announced to the owner only.
      assertThat(ra.added).allMatch(p -> a.owned().contains(p));
      assertThat(rb.added).allMatch(p -> b.owned().contains(p));

      Set<Integer> fromB = b.owned();
      b.close();
      await("a took over b's partitions")
          .atMost(WAIT)
          .until(() -> a.owned().size() == partitions && a.caughtUp());
      assertThat(ra.caughtUp).containsAll(fromB);
      assertThat(share(a, dataset)).containsExactlyInAnyOrderElementsOf(ids);
      // (the shared topic may hold other tests' bad records; none of these is one)
      assertThat(dead).doesNotContainAnyElementsOf(ids);
    }
  }

  @Test
  void aBadRecordIsDeadLetteredOnceNotOnEveryReplay() {
    String bootstrap = KafkaTestResource.bootstrapServers();
    String group = "embed-dlq-" + UUID.randomUUID();
    String key = "garbage-" + UUID.randomUUID();
    List<String> dead = new CopyOnWriteArrayList<>();
    try (RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(Topic.IMAGES.topicName(), key, new byte[] {(byte) 0xFF, 1, 2});
    }
    try (ImagePartitions first = new ImagePartitions(bootstrap, group, deadLetter(dead))) {
      first.start(new Recorder());
      await("the first member dead-letters the record")
          .atMost(WAIT)
          .until(() -> dead.contains(key));
      // The committed offset must pass the bad record before the member leaves.
      await("offsets committed").atMost(WAIT).until(() -> first.caughtUp());
    }
    assertThat(dead).containsOnlyOnce(key);
    try (ImagePartitions second = new ImagePartitions(bootstrap, group, deadLetter(dead))) {
      second.start(new Recorder());
      await("the second member replays")
          .atMost(WAIT)
          .until(() -> second.caughtUp() && second.owned().size() == 3);
    }
    assertThat(dead).containsOnlyOnce(key);
  }

  private static io.alfer.embed.messaging.DeadLetterSink deadLetter(List<String> dead) {
    return (topic, key, value, reason, cause) -> dead.add(key);
  }

  private static List<String> share(ImagePartitions p, String dataset) {
    List<String> ids = new ArrayList<>();
    for (int partition : p.owned()) {
      p.images(partition, dataset, Split.SPLIT_POOL).forEach(i -> ids.add(i.id()));
    }
    return ids;
  }

  private static ImageIngested event(String id, String dataset) {
    return ImageIngested.newBuilder()
        .setImageId(id)
        .setDataset(dataset)
        .setSplit(Split.SPLIT_POOL)
        .setCanonical(ObjectRef.newBuilder().setKey("images/" + dataset + "/" + id + ".png"))
        .build();
  }

  /** Records what a member was told. */
  private static final class Recorder implements ImagePartitions.Listener {
    final List<Integer> caughtUp = new CopyOnWriteArrayList<>();
    final List<Integer> added = new CopyOnWriteArrayList<>();

    @Override
    public void caughtUp(int partition) {
      caughtUp.add(partition);
    }

    @Override
    public void revoked(int partition) {}

    @Override
    public void imagesAdded(int partition, String dataset, Split split) {
      added.add(partition);
    }
  }
}
