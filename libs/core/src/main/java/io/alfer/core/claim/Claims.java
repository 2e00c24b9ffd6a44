package io.alfer.core.claim;

import com.google.protobuf.Message;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.TrainingRequest;
import java.util.Optional;

/**
 * Claim checks for events of any size: a writer {@link #pack packs} an event before sending it, a
 * reader {@link #resolve resolves} it before applying anything. A payload (the repeated fields a
 * {@link ClaimCheck} names) of at most {@link #inlineMaxBytes()} serialized bytes stays in the
 * event, exactly as before claims existed; a larger one is written to {@code
 * claims/<kind>/<sha256>.pb} first — bytes first, then the event, as images are — and the event
 * carries an {@code ObjectRef} (bucket, key, size, SHA-256) instead.
 *
 * <p>Reading distinguishes a claim that cannot be honoured, refused for good with a {@link
 * ClaimRefused} reason ({@code claim_missing}, {@code claim_corrupt}, {@code claim_undecodable}),
 * from object storage that does not answer, a {@link StorageException} the reader retries. Objects
 * are never deleted: the events that name them (alfer.campaigns is compacted, never expired) need
 * them for as long as they exist. Thread-safe.
 */
public final class Claims {
  /**
   * Default inline limit: a quarter of Kafka's default largest record (1 MiB, {@code
   * message.max.bytes} and the producer's {@code max.request.size}), leaving the rest of the record
   * room; about 5,800 selected images or 6,900 labels.
   */
  public static final int DEFAULT_INLINE_MAX_BYTES = 256 * 1024;

  /** Content type of claimed payloads. */
  public static final String CONTENT_TYPE = "application/x-protobuf";

  private final ObjectStore store;
  private final long inlineMaxBytes;

  /**
   * @param store where claimed payloads are written and read
   * @param inlineMaxBytes the largest payload (serialized bytes) kept in the event
   */
  public Claims(ObjectStore store, long inlineMaxBytes) {
    if (inlineMaxBytes < 0) {
      throw new IllegalArgumentException(
          "the inline limit of claim checks must be >= 0, got " + inlineMaxBytes);
    }
    this.store = store;
    this.inlineMaxBytes = inlineMaxBytes;
  }

  /** The largest payload kept in the event. */
  public long inlineMaxBytes() {
    return inlineMaxBytes;
  }

  /**
   * The message to send: {@code message} itself when its payload fits the inline limit (or it is
   * claimed already), else the message with its payload in object storage and a claim naming it.
   * The object is written before this returns.
   *
   * @throws StorageException when object storage does not take the payload (send nothing; retry)
   */
  public <M extends Message> M pack(ClaimCheck<M> check, M message) {
    if (check.claimed(message)) {
      return message;
    }
    M payload = check.payload(message);
    if (payload.getSerializedSize() <= inlineMaxBytes) {
      return message;
    }
    byte[] bytes = payload.toByteArray();
    // written every time (the same bytes under the same key), so that an object damaged since the
    // last write is repaired rather than named again
    ObjectRef ref = store.put(check.key(bytes), bytes, CONTENT_TYPE);
    return check.withClaim(message, ref);
  }

  /**
   * The message with its claim honoured (its payload read back and merged in), or {@code message}
   * itself when it carries none.
   *
   * @throws ClaimRefused when the claim cannot be honoured: refuse the record, apply nothing
   * @throws StorageException when object storage does not answer: apply nothing; retry
   */
  public <M extends Message> M resolve(ClaimCheck<M> check, M message) throws ClaimRefused {
    if (!check.claimed(message)) {
      return message;
    }
    ObjectRef ref = check.claim(message);
    if (ref.getKey().isEmpty()) {
      throw new ClaimRefused(ClaimRefused.MISSING, "the claim names no object key");
    }
    if (!ref.getBucket().isEmpty() && !ref.getBucket().equals(store.bucket())) {
      throw new ClaimRefused(
          ClaimRefused.MISSING,
          "the claim %s is in bucket %s; this service reads bucket %s"
              .formatted(ref.getKey(), ref.getBucket(), store.bucket()));
    }
    Optional<byte[]> object = store.find(ref.getKey());
    if (object.isEmpty()) {
      throw new ClaimRefused(
          ClaimRefused.MISSING, "no object " + ref.getKey() + " (the " + check.kind() + " claim)");
    }
    return check.join(message, object.get());
  }

  /**
   * A campaign event to write: its round's selection or labels packed (other events as they are).
   */
  public CampaignEvent pack(CampaignEvent event) {
    return switch (event.getEventCase()) {
      case ROUND_SELECTED ->
          event.toBuilder()
              .setRoundSelected(pack(ClaimCheck.ROUND_SELECTED, event.getRoundSelected()))
              .build();
      case ROUND_LABELLED ->
          event.toBuilder()
              .setRoundLabelled(pack(ClaimCheck.ROUND_LABELLED, event.getRoundLabelled()))
              .build();
      default -> event;
    };
  }

  /** A campaign event read: its round's selection or labels resolved (other events as they are). */
  public CampaignEvent resolve(CampaignEvent event) throws ClaimRefused {
    return switch (event.getEventCase()) {
      case ROUND_SELECTED ->
          event.toBuilder()
              .setRoundSelected(resolve(ClaimCheck.ROUND_SELECTED, event.getRoundSelected()))
              .build();
      case ROUND_LABELLED ->
          event.toBuilder()
              .setRoundLabelled(resolve(ClaimCheck.ROUND_LABELLED, event.getRoundLabelled()))
              .build();
      default -> event;
    };
  }

  /** A training request to send: a fine-tuning's labelled set packed. */
  public TrainingRequest pack(TrainingRequest request) {
    return request.hasFinetune()
        ? request.toBuilder()
            .setFinetune(pack(ClaimCheck.FINETUNE_JOB, request.getFinetune()))
            .build()
        : request;
  }

  /** A training request read: a fine-tuning's labelled set resolved. */
  public TrainingRequest resolve(TrainingRequest request) throws ClaimRefused {
    return request.hasFinetune()
        ? request.toBuilder()
            .setFinetune(resolve(ClaimCheck.FINETUNE_JOB, request.getFinetune()))
            .build()
        : request;
  }
}
