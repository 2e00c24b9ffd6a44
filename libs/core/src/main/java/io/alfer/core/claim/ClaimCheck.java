package io.alfer.core.claim;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectionMade;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The claim check of one message type: which of its repeated fields may move to object storage and
 * which {@code ObjectRef} field then names them. The object is the message's own type holding only
 * those fields, serialized; its key is {@code claims/<kind>/<sha256>.pb} (kind: the type's name in
 * kebab case, e.g. {@code selection-made}), so the same payload is always the same object and
 * writing it again changes nothing. A reader merges the object back into the message, which then is
 * exactly what the writer had before moving the fields out.
 *
 * <p>This class is pure (no storage): {@link Claims} reads and writes the objects. The checks of
 * alfer's messages are the constants below; they are the only ones.
 *
 * @param <M> the message type
 */
public final class ClaimCheck<M extends Message> {
  /** {@code SelectionMade.images} (alfer.selections). */
  public static final ClaimCheck<SelectionMade> SELECTION_MADE =
      of(
          SelectionMade.getDefaultInstance(),
          SelectionMade.CLAIM_FIELD_NUMBER,
          SelectionMade.IMAGES_FIELD_NUMBER);

  /** {@code RoundSelected.images} (a campaign event on alfer.campaigns). */
  public static final ClaimCheck<RoundSelected> ROUND_SELECTED =
      of(
          RoundSelected.getDefaultInstance(),
          RoundSelected.CLAIM_FIELD_NUMBER,
          RoundSelected.IMAGES_FIELD_NUMBER);

  /** {@code RoundLabelled.labels} and {@code unanswered} (a campaign event on alfer.campaigns). */
  public static final ClaimCheck<RoundLabelled> ROUND_LABELLED =
      of(
          RoundLabelled.getDefaultInstance(),
          RoundLabelled.CLAIM_FIELD_NUMBER,
          RoundLabelled.LABELS_FIELD_NUMBER,
          RoundLabelled.UNANSWERED_FIELD_NUMBER);

  /** {@code FinetuneJob.labelled} (a TrainingRequest on alfer.training.requests). */
  public static final ClaimCheck<FinetuneJob> FINETUNE_JOB =
      of(
          FinetuneJob.getDefaultInstance(),
          FinetuneJob.CLAIM_FIELD_NUMBER,
          FinetuneJob.LABELLED_FIELD_NUMBER);

  private final M prototype;
  private final String kind;
  private final FieldDescriptor claim;
  private final List<FieldDescriptor> fields;

  private ClaimCheck(M prototype, FieldDescriptor claim, List<FieldDescriptor> fields) {
    this.prototype = prototype;
    this.kind = kebab(prototype.getDescriptorForType().getName());
    this.claim = claim;
    this.fields = List.copyOf(fields);
  }

  /**
   * The claim check of a message type.
   *
   * @param prototype the type's default instance
   * @param claimField number of its {@code ObjectRef} claim field
   * @param claimedFields numbers of the repeated fields the claim may hold
   * @throws IllegalArgumentException when the fields are not of those kinds
   */
  public static <M extends Message> ClaimCheck<M> of(
      M prototype, int claimField, int... claimedFields) {
    Descriptor type = prototype.getDescriptorForType();
    FieldDescriptor claim = type.findFieldByNumber(claimField);
    if (claim == null
        || claim.isRepeated()
        || claim.getJavaType() != FieldDescriptor.JavaType.MESSAGE
        || !claim.getMessageType().equals(ObjectRef.getDescriptor())) {
      throw new IllegalArgumentException(
          type.getName() + " field " + claimField + " is not a single ObjectRef");
    }
    List<FieldDescriptor> fields = new ArrayList<>();
    for (int number : claimedFields) {
      FieldDescriptor f = type.findFieldByNumber(number);
      if (f == null || !f.isRepeated() || f.isMapField()) {
        throw new IllegalArgumentException(
            type.getName() + " field " + number + " is not a repeated field");
      }
      fields.add(f);
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a claim check needs at least one field");
    }
    return new ClaimCheck<>(prototype, claim, fields);
  }

  /** The kind in the object key, e.g. {@code selection-made}. */
  public String kind() {
    return kind;
  }

  /** The names of the fields the claim holds, e.g. {@code images}. */
  public String fieldNames() {
    return fields.stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
  }

  /** Whether the message carries a claim (its fields are in object storage). */
  public boolean claimed(M message) {
    return message.hasField(claim);
  }

  /** The claim of a message; the default (empty) reference when it carries none. */
  public ObjectRef claim(M message) {
    return (ObjectRef) message.getField(claim);
  }

  /** The message holding only the claimed fields of {@code message}: what the object holds. */
  @SuppressWarnings("unchecked")
  public M payload(M message) {
    Message.Builder b = prototype.newBuilderForType();
    for (FieldDescriptor f : fields) {
      b.setField(f, message.getField(f));
    }
    return (M) b.build();
  }

  /** The object key of a payload's bytes: {@code claims/<kind>/<sha256>.pb}. */
  public String key(byte[] payload) {
    return StorageLayout.claim(kind, Hashes.sha256Hex(payload));
  }

  /**
   * {@code message} with the claimed fields moved out: they are empty and {@code ref} names them.
   */
  @SuppressWarnings("unchecked")
  public M withClaim(M message, ObjectRef ref) {
    Message.Builder b = message.toBuilder();
    fields.forEach(b::clearField);
    b.setField(claim, ref);
    return (M) b.build();
  }

  /**
   * {@code message} with its claim honoured: the object's fields merged in, the claim cleared.
   * Changes nothing in {@code message}; either the whole payload is there or the claim is refused.
   *
   * @param object the bytes read from the claim's key
   * @throws ClaimRefused {@value ClaimRefused#CORRUPT} when the size or SHA-256 differs from the
   *     claim's, {@value ClaimRefused#UNDECODABLE} when the bytes are not this type holding only
   *     the claimed fields, or when the message also has inline entries
   */
  @SuppressWarnings("unchecked")
  public M join(M message, byte[] object) throws ClaimRefused {
    ObjectRef ref = claim(message);
    for (FieldDescriptor f : fields) {
      if (message.getRepeatedFieldCount(f) > 0) {
        throw new ClaimRefused(
            ClaimRefused.UNDECODABLE,
            "the %s carries both a claim (%s) and %d inline %s"
                .formatted(
                    prototype.getDescriptorForType().getName(),
                    ref.getKey(),
                    message.getRepeatedFieldCount(f),
                    f.getName()));
      }
    }
    if (ref.getSha256().isEmpty()) {
      throw new ClaimRefused(
          ClaimRefused.CORRUPT, "the claim " + ref.getKey() + " names no SHA-256 to check");
    }
    if (ref.getSizeBytes() != object.length) {
      throw new ClaimRefused(
          ClaimRefused.CORRUPT,
          "the object %s has %d bytes, the claim says %d"
              .formatted(ref.getKey(), object.length, ref.getSizeBytes()));
    }
    String sha256 = Hashes.sha256Hex(object);
    if (!sha256.equalsIgnoreCase(ref.getSha256())) {
      throw new ClaimRefused(
          ClaimRefused.CORRUPT,
          "the object %s has SHA-256 %s, the claim says %s"
              .formatted(ref.getKey(), sha256, ref.getSha256()));
    }
    Message parsed;
    try {
      parsed = prototype.getParserForType().parseFrom(object);
    } catch (InvalidProtocolBufferException e) {
      throw new ClaimRefused(
          ClaimRefused.UNDECODABLE,
          "the object %s is not a %s: %s"
              .formatted(ref.getKey(), prototype.getDescriptorForType().getName(), e.getMessage()));
    }
    List<String> others =
        parsed.getAllFields().keySet().stream()
            .filter(f -> !fields.contains(f))
            .map(FieldDescriptor::getName)
            .toList();
    if (!others.isEmpty() || !parsed.getUnknownFields().asMap().isEmpty()) {
      throw new ClaimRefused(
          ClaimRefused.UNDECODABLE,
          "the object %s holds more than %s (%s)"
              .formatted(
                  ref.getKey(),
                  fieldNames(),
                  others.isEmpty()
                      ? "unknown fields " + parsed.getUnknownFields().asMap().keySet()
                      : String.join(", ", others)));
    }
    return (M) message.toBuilder().clearField(claim).mergeFrom(parsed).build();
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "ClaimCheck[" + kind + ": " + fieldNames() + "]";
  }
}
