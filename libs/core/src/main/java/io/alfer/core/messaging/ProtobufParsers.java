package io.alfer.core.messaging;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.concurrent.ConcurrentHashMap;

/** The protobuf parser of a generated message class, looked up once. */
public final class ProtobufParsers {
  private static final ConcurrentHashMap<Class<?>, Parser<? extends Message>> PARSERS =
      new ConcurrentHashMap<>();

  private ProtobufParsers() {}

  /** The parser of a generated message class. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> Parser<T> parserOf(Class<?> type) {
    return (Parser<T>)
        PARSERS.computeIfAbsent(
            type,
            t -> {
              if (!Message.class.isAssignableFrom(t)) {
                throw new IllegalArgumentException(t.getName() + " is not a protobuf message");
              }
              try {
                return (Parser<? extends Message>) t.getMethod("parser").invoke(null);
              } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(t.getName() + " has no parser()", e);
              }
            });
  }

  /** Parses bytes as the message type a topic carries. */
  public static Message parse(Topic topic, byte[] bytes)
      throws com.google.protobuf.InvalidProtocolBufferException {
    return parserOf(topic.messageType()).parseFrom(bytes);
  }
}
