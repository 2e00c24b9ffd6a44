package io.alfer.oracle.truth;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.kit.state.ReplayThenFollow.Phase;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.alfer.kit.state.ReplayedState;
import io.alfer.proto.v1.ImageIngested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ground-truth label of every image, replayed from the compacted alfer.images topic at start-up
 * and followed afterwards ({@code ImageIngested.label}; -1 means unknown). The oracle is ready once
 * the replay has caught up.
 */
@ApplicationScoped
public class GroundTruth extends ReplayedState<Map<String, Integer>> {
  @Override
  protected Map<String, Integer> newState() {
    return new ConcurrentHashMap<>();
  }

  @Override
  protected Plan plan(Map<String, Integer> labels) {
    return Plan.of(new Phase(List.of(Topic.IMAGES.topicName()), r -> apply(labels, r)));
  }

  @Override
  public String readinessName() {
    return "ground-truth";
  }

  /** The true label index of an image, if known. */
  public OptionalInt label(String dataset, String imageId) {
    Map<String, Integer> labels = currentState();
    Integer label = labels == null ? null : labels.get(dataset + "/" + imageId);
    return label == null || label < 0 ? OptionalInt.empty() : OptionalInt.of(label);
  }

  private static void apply(Map<String, Integer> labels, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      ImageIngested image = ImageIngested.parseFrom(r.value());
      labels.put(image.getDataset() + "/" + image.getImageId(), image.getLabel());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable record on alfer.images", e);
    }
  }
}
