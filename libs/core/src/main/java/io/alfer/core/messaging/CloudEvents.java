package io.alfer.core.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudEvents Kafka protocol binding (binary content mode) as alfer's vendor-facing topics use
 * it: the value is the event data (the protobuf type's JSON form), the attributes travel as {@code
 * ce_*} headers and the data's media type as {@code content-type}.
 */
public final class CloudEvents {
  /** Header of the CloudEvents specification version. */
  public static final String SPECVERSION = "ce_specversion";

  /** Header of the event id, unique per source. */
  public static final String ID = "ce_id";

  /** Header of the event source (a URI reference). */
  public static final String SOURCE = "ce_source";

  /** Header of the event type. */
  public static final String TYPE = "ce_type";

  /** Header of the event time (RFC 3339). */
  public static final String TIME = "ce_time";

  /** Header of the event subject. */
  public static final String SUBJECT = "ce_subject";

  /** Header of the data's media type. */
  public static final String CONTENT_TYPE = "content-type";

  /** The specification version written. */
  public static final String VERSION = "1.0";

  /** Media type of JSON event data. */
  public static final String JSON = "application/json";

  /** Event type of a labelling task on a vendor's {@code alfer.vendor.<v>.tasks} (contract v2). */
  public static final String LABEL_TASK_TYPE = "io.alfer.label.task.v2";

  /** Event type of a vendor's answer on its {@code alfer.vendor.<v>.results} (contract v2). */
  public static final String LABEL_RESULT_TYPE = "io.alfer.label.result.v2";

  /**
   * A v1 vendor's event type for an answer: still accepted on a vendor's own result topic, where
   * the body means the same (the vendor moving over changes topics first, its {@code ce_type} when
   * it likes).
   */
  public static final String LABEL_RESULT_TYPE_V1 = "io.alfer.label.result.v1";

  private CloudEvents() {}

  /** The headers of a JSON event, in a stable order. */
  public static Map<String, String> jsonHeaders(
      String type, String id, String source, Instant time, String subject) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SPECVERSION, VERSION);
    headers.put(ID, id);
    headers.put(SOURCE, source);
    headers.put(TYPE, type);
    headers.put(TIME, time.toString());
    if (subject != null && !subject.isEmpty()) {
      headers.put(SUBJECT, subject);
    }
    headers.put(CONTENT_TYPE, JSON);
    return headers;
  }
}
