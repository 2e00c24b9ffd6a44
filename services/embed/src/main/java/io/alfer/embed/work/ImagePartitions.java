package io.alfer.embed.work;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.Topic;
import io.alfer.embed.messaging.DeadLetterSink;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * This replica's share of {@code alfer.images}: a member of the consumer group that divides the
 * topic's partitions among the embed replicas. For every partition assigned to it, it replays the
 * (compacted) partition from the beginning into memory — which images of which dataset and split
 * live there — and then follows it. A partition's images are embedded only by its owner, so no
 * image is done twice.
 *
 * <p>Committed offsets serve one purpose: a bad record below the group's committed offset was
 * already dead-lettered by a previous owner and is only skipped on replay; one at or above it is
 * dead-lettered now.
 */
public final class ImagePartitions implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ImagePartitions.class);

  /** What the owner of the partitions is told, always on the polling thread. */
  public interface Listener {
    /** A newly assigned partition has been replayed to the end it had when assigned. */
    void caughtUp(int partition);

    /** A partition was taken away (rebalance) or lost. */
    void revoked(int partition);

    /** Images of a dataset split arrived in a caught-up partition. */
    void imagesAdded(int partition, String dataset, Split split);
  }

  private final String topic = Topic.IMAGES.topicName();
  private final Properties connection;
  private final String groupId;
  private final DeadLetterSink deadLetters;
  private final Map<Integer, PartitionImages> owned = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean assigned = new AtomicBoolean();
  private final Thread thread;
  private volatile Listener listener;
  private volatile int partitionCount;
  private volatile KafkaConsumer<String, byte[]> consumer;

  /** Creates a member of {@code groupId}; nothing happens before {@link #start}. */
  public ImagePartitions(String bootstrapServers, String groupId, DeadLetterSink deadLetters) {
    this(KafkaConnection.settings(bootstrapServers), groupId, deadLetters);
  }

  /**
   * Creates a member of {@code groupId} that connects with {@code connection} (bootstrap servers
   * and security settings, {@link KafkaConnection#settings}); nothing happens before {@link
   * #start}.
   */
  public ImagePartitions(Properties connection, String groupId, DeadLetterSink deadLetters) {
    this.connection = connection;
    this.groupId = groupId;
    this.deadLetters = deadLetters;
    this.thread = new Thread(this::pollLoop, "embed-images-" + groupId);
    this.thread.setDaemon(true);
  }

  /** Joins the group and starts following; events go to {@code listener}. */
  public void start(Listener listener) {
    this.listener = listener;
    thread.start();
  }

  /** Partitions of {@code alfer.images} (known once started; 0 before). */
  public int partitionCount() {
    return partitionCount;
  }

  /** Whether every partition this member owns has been replayed. */
  public boolean caughtUp() {
    return assigned.get() && owned.values().stream().allMatch(PartitionImages::caughtUp);
  }

  /** The partitions this member owns and has replayed, in order. */
  public List<Integer> ownedCaughtUp() {
    return owned.entrySet().stream()
        .filter(e -> e.getValue().caughtUp())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Every partition this member owns, replayed or not. */
  public Set<Integer> owned() {
    return Set.copyOf(owned.keySet());
  }

  /** Whether this member owns the partition and has replayed it. */
  public boolean ownsCaughtUp(int partition) {
    PartitionImages p = owned.get(partition);
    return p != null && p.caughtUp();
  }

  /** The images of a dataset split in a partition this member owns, in offset order. */
  public List<ImageRef> images(int partition, String dataset, Split split) {
    PartitionImages p = owned.get(partition);
    return p == null ? List.of() : p.images(dataset, split);
  }

  /** How many images of a dataset split a partition this member owns holds. */
  public int count(int partition, String dataset, Split split) {
    PartitionImages p = owned.get(partition);
    return p == null ? 0 : p.count(dataset, split);
  }

  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pollLoop() {
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer()) {
        consumer = c;
        partitionCount = c.partitionsFor(topic, Duration.ofSeconds(30)).size();
        c.subscribe(List.of(topic), new Rebalance(c));
        try {
          while (running.get()) {
            Map<Integer, Set<Key>> added = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
              apply(r, added);
            }
            checkCaughtUp(c);
            added.forEach((p, keys) -> keys.forEach(k -> notifyAdded(p, k)));
            commit(c);
          }
        } catch (WakeupException e) {
          // closing: fall through to the final commit
        }
        commitOnLeave(c);
        return;
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        LOG.warn("following alfer.images failed; rejoining in 2 s", e);
        revokeAll();
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    revokeAll();
  }

  private void apply(ConsumerRecord<String, byte[]> r, Map<Integer, Set<Key>> added) {
    PartitionImages p = owned.get(r.partition());
    if (p == null) {
      return;
    }
    if (r.value() == null) {
      p.remove(r.key());
      return;
    }
    ImageIngested event;
    try {
      event = ImageIngested.parseFrom(r.value());
    } catch (InvalidProtocolBufferException e) {
      refuse(p, r, "undecodable", "not an ImageIngested: " + e.getMessage());
      return;
    }
    String problem = problem(event);
    if (problem != null) {
      refuse(p, r, "invalid_image_event", problem);
      return;
    }
    p.add(new ImageRef(event, r.partition(), r.offset()));
    if (p.caughtUp()) {
      added
          .computeIfAbsent(r.partition(), k -> new HashSet<>())
          .add(new Key(event.getDataset(), event.getSplit()));
    }
  }

  private static String problem(ImageIngested e) {
    if (e.getImageId().isBlank()) {
      return "no image id";
    }
    if (e.getDataset().isBlank()) {
      return "image " + e.getImageId() + " has no dataset";
    }
    if (e.getSplit() != Split.SPLIT_POOL && e.getSplit() != Split.SPLIT_TEST) {
      return "image " + e.getImageId() + " has no split";
    }
    if (e.getCanonical().getKey().isBlank()) {
      return "image " + e.getImageId() + " has no canonical object";
    }
    return null;
  }

  private void refuse(
      PartitionImages p, ConsumerRecord<String, byte[]> r, String reason, String cause) {
    if (r.offset() >= p.committedAtAssignment) {
      deadLetters.deadLetter(Topic.IMAGES, r.key(), r.value(), reason, cause);
    } else {
      LOG.debugf("skipping %s-%d@%d (dead-lettered before)", topic, r.partition(), r.offset());
    }
  }

  private void checkCaughtUp(KafkaConsumer<String, byte[]> c) {
    for (Map.Entry<Integer, PartitionImages> e : owned.entrySet()) {
      PartitionImages p = e.getValue();
      if (!p.caughtUp() && c.position(new TopicPartition(topic, e.getKey())) >= p.endAtAssignment) {
        p.markCaughtUp();
        LOG.infof("alfer.images p%d replayed: %d images", e.getKey(), p.size());
        listener.caughtUp(e.getKey());
      }
    }
  }

  private void notifyAdded(int partition, Key key) {
    listener.imagesAdded(partition, key.dataset(), key.split());
  }

  private void commit(KafkaConsumer<String, byte[]> c) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Map.Entry<Integer, PartitionImages> e : owned.entrySet()) {
      TopicPartition tp = new TopicPartition(topic, e.getKey());
      long position = c.position(tp);
      if (position > e.getValue().committed) {
        offsets.put(tp, new OffsetAndMetadata(position));
        e.getValue().committed = position;
      }
    }
    if (!offsets.isEmpty()) {
      c.commitAsync(offsets, null);
    }
  }

  /** Commits what was read, so the next owner does not dead-letter the same records again. */
  private void commitOnLeave(KafkaConsumer<String, byte[]> c) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    try {
      owned.forEach(
          (p, images) -> {
            long position = c.position(new TopicPartition(topic, p));
            if (position > images.committedAtAssignment) {
              offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(position));
            }
          });
      if (!offsets.isEmpty()) {
        c.commitSync(offsets, Duration.ofSeconds(5));
      }
    } catch (RuntimeException e) {
      LOG.warnf("could not commit alfer.images offsets on leaving the group: %s", e.getMessage());
    }
  }

  private void revokeAll() {
    for (Integer p : new ArrayList<>(owned.keySet())) {
      owned.remove(p);
      listener.revoked(p);
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.putAll(connection);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Replays each newly assigned partition; forgets revoked ones. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> c;

    Rebalance(KafkaConsumer<String, byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(new HashSet<>(partitions));
        for (TopicPartition tp : partitions) {
          OffsetAndMetadata done = committed.get(tp);
          owned.put(
              tp.partition(), new PartitionImages(end.get(tp), done == null ? 0 : done.offset()));
        }
        c.seekToBeginning(partitions);
        LOG.infof("assigned alfer.images partitions %s", partitions);
      }
      assigned.set(true);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        if (owned.remove(tp.partition()) != null) {
          listener.revoked(tp.partition());
        }
      }
      if (!partitions.isEmpty()) {
        LOG.infof("revoked alfer.images partitions %s", partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  private record Key(String dataset, Split split) {}

  /** The images of one owned partition, by dataset and split, in offset order. */
  private static final class PartitionImages {
    final long endAtAssignment;
    final long committedAtAssignment;
    long committed;
    private final Map<Key, LinkedHashMap<String, ImageRef>> byKey = new HashMap<>();
    private final Map<String, Set<Key>> keyOf = new HashMap<>();
    private volatile boolean caughtUp;

    PartitionImages(long endAtAssignment, long committedAtAssignment) {
      this.endAtAssignment = endAtAssignment;
      this.committedAtAssignment = committedAtAssignment;
      this.committed = committedAtAssignment;
    }

    boolean caughtUp() {
      return caughtUp;
    }

    void markCaughtUp() {
      caughtUp = true;
    }

    /** Adds an image; the same id in another split of the same dataset moves there. */
    synchronized void add(ImageRef image) {
      Key key = new Key(image.event().getDataset(), image.event().getSplit());
      Set<Key> keys = keyOf.computeIfAbsent(image.id(), k -> new HashSet<>());
      for (Key other : List.copyOf(keys)) {
        if (other.dataset().equals(key.dataset()) && !other.equals(key)) {
          byKey.get(other).remove(image.id());
          keys.remove(other);
        }
      }
      keys.add(key);
      byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).putIfAbsent(image.id(), image);
    }

    /** A tombstone: the image is gone from every dataset of this partition. */
    synchronized void remove(String imageId) {
      Set<Key> keys = imageId == null ? null : keyOf.remove(imageId);
      if (keys != null) {
        keys.forEach(k -> byKey.get(k).remove(imageId));
      }
    }

    synchronized List<ImageRef> images(String dataset, Split split) {
      LinkedHashMap<String, ImageRef> m = byKey.get(new Key(dataset, split));
      return m == null ? List.of() : List.copyOf(m.values());
    }

    synchronized int count(String dataset, Split split) {
      LinkedHashMap<String, ImageRef> m = byKey.get(new Key(dataset, split));
      return m == null ? 0 : m.size();
    }

    synchronized int size() {
      return keyOf.size();
    }
  }
}
