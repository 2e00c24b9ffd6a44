package io.alfer.core.messaging;

import com.google.protobuf.Timestamp;
import io.alfer.proto.v1.Origin;
import java.time.Instant;

/** Builds the {@link Origin} stamp every event carries. */
public final class Origins {
  private Origins() {}

  /** An origin for a service instance at the current time. */
  public static Origin now(String service, String instance) {
    return Origin.newBuilder()
        .setService(service)
        .setInstance(instance)
        .setTime(timestamp(Instant.now()))
        .build();
  }

  /** A protobuf timestamp of an instant. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** The instant of a protobuf timestamp. */
  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
