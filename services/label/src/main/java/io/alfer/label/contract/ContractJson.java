package io.alfer.label.contract;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of the vendor contract's messages: protobuf's canonical JSON mapping
 * (lowerCamelCase field names, RFC 3339 timestamps). Tasks are written with every field, defaults
 * included, so a vendor never has to know proto3's omission rules; unknown fields in results are
 * ignored, so a vendor may add its own.
 */
public final class ContractJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private ContractJson() {}

  /** A task as JSON text. */
  public static String task(LabelTask task) {
    return print(task);
  }

  /** A result as JSON text. */
  public static String result(LabelResult result) {
    return print(result);
  }

  /**
   * Parses a result; throws {@link IllegalArgumentException} with what is wrong when the bytes are
   * not a JSON object of the result's form.
   */
  public static LabelResult parseResult(byte[] json) {
    if (json == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    return parseResult(new String(json, StandardCharsets.UTF_8));
  }

  /** Parses a task (as read back from alfer.label-tasks); throws like {@link #parseResult}. */
  public static LabelTask parseTask(byte[] json) {
    LabelTask.Builder b = LabelTask.newBuilder();
    try {
      PARSER.merge(new String(json, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("not a LabelTask in JSON form: " + e.getMessage(), e);
    }
    return b.build();
  }

  /** Parses a result from JSON text (see {@link #parseResult(byte[])}). */
  public static LabelResult parseResult(String json) {
    LabelResult.Builder b = LabelResult.newBuilder();
    try {
      PARSER.merge(json, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("not a LabelResult in JSON form: " + e.getMessage(), e);
    }
    return b.build();
  }

  private static String print(com.google.protobuf.MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
