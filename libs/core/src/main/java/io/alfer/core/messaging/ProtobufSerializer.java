package io.alfer.core.messaging;

import com.google.protobuf.Message;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any protobuf message as its binary encoding. */
public final class ProtobufSerializer implements Serializer<Message> {
  @Override
  public byte[] serialize(String topic, Message message) {
    return message == null ? null : message.toByteArray();
  }
}
