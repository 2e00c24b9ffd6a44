/**
 * Real infrastructure for tests: no mocks of Kafka or S3.
 *
 * <ul>
 *   <li>{@link io.alfer.testkit.EmbeddedKafka}: an Apache Kafka broker (KRaft) in the test JVM,
 *       every alfer topic and {@code .dlq} created ({@link io.alfer.core.messaging.TopicSetup}).
 *   <li>{@link io.alfer.testkit.S3ProxyServer}: S3Proxy as a child process, bucket created.
 *   <li>{@link io.alfer.testkit.KafkaTestResource} and {@link io.alfer.testkit.S3TestResource}: the
 *       same, for {@code @QuarkusTest} classes, shared by every test of the JVM.
 *   <li>{@link io.alfer.testkit.RawProducer} and {@link io.alfer.testkit.TopicProbe}: write raw
 *       records and wait for records on a topic.
 * </ul>
 *
 * <p>To run against infrastructure that is already up (e.g. {@code ./alfer up}), set {@code
 * ALFER_TEST_KAFKA_BOOTSTRAP} and {@code ALFER_TEST_S3_ENDPOINT} (plus {@code
 * ALFER_TEST_S3_ACCESS_KEY}, {@code ALFER_TEST_S3_SECRET_KEY}, {@code ALFER_TEST_S3_BUCKET}).
 */
package io.alfer.testkit;
