package io.alfer.trainer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.testkit.ReceivedRecord;

/** Decoding of records read by a {@link io.alfer.testkit.TopicProbe}. */
final class Records {
  private Records() {}

  static TrainingProgress progress(ReceivedRecord record) {
    try {
      return TrainingProgress.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a TrainingProgress: " + record, e);
    }
  }

  static ModelPublished model(ReceivedRecord record) {
    try {
      return ModelPublished.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a ModelPublished: " + record, e);
    }
  }
}
