package io.alfer.label;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The service's clock in tests: the system clock shifted by an offset a test may set. */
@Singleton
public class MutableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** Shifts the clock; {@link Duration#ZERO} restores real time. */
  public void shift(Duration offset) {
    this.offset = offset;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
