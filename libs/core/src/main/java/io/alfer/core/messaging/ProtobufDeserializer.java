package io.alfer.core.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic's binary protobuf values. The message type is the one {@link Topic} names for the
 * topic, or the class given by the {@value #TYPE_CONFIG} property.
 */
public final class ProtobufDeserializer implements Deserializer<Message> {
  /** Consumer property naming the protobuf class to parse, when the topic is not alfer's. */
  public static final String TYPE_CONFIG = "alfer.protobuf.type";

  private Parser<? extends Message> configuredParser;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object type = configs.get(TYPE_CONFIG);
    if (type != null) {
      try {
        configuredParser = ProtobufParsers.parserOf(Class.forName(type.toString()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(TYPE_CONFIG + " names an unknown class: " + type, e);
      }
    }
  }

  @Override
  public Message deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    Parser<? extends Message> parser = configuredParser;
    if (parser == null) {
      Topic known =
          Topic.byName(topic)
              .orElseThrow(
                  () ->
                      new SerializationException(
                          "topic "
                              + topic
                              + " is not an alfer topic and "
                              + TYPE_CONFIG
                              + " is not set"));
      parser = ProtobufParsers.parserOf(known.messageType());
    }
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new SerializationException(
          "value on " + topic + " is not a valid " + parser + ": " + e.getMessage(), e);
    }
  }
}
