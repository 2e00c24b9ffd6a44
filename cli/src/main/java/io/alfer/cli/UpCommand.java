package io.alfer.cli;

import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alfer up}: starts the local Kafka broker and S3 server. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the local stack: Kafka and an S3 server on 127.0.0.1.",
      "%nRuns a Kafka broker (KRaft) and S3Proxy in the background, creates every alfer topic"
          + " (and its .dlq) and the bucket, and prints where they listen. Does nothing when they"
          + " already run."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the stack runs (started now or already)",
      "1:it could not start (a port taken, a process that exited: the reason is printed)",
      "2:invalid options"
    })
final class UpCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--kafka-port",
      defaultValue = "${env:ALFER_KAFKA_PORT:-9092}",
      description = "Kafka's client port (env ALFER_KAFKA_PORT; default ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--kafka-controller-port",
      defaultValue = "${env:ALFER_KAFKA_CONTROLLER_PORT:-9093}",
      description =
          "Kafka's KRaft controller port (env ALFER_KAFKA_CONTROLLER_PORT; default ${DEFAULT-VALUE}).")
  int kafkaControllerPort;

  @Option(
      names = "--s3-port",
      defaultValue = "${env:ALFER_S3_PORT:-9000}",
      description = "The S3 server's port (env ALFER_S3_PORT; default ${DEFAULT-VALUE}).")
  int s3Port;

  @Override
  public void run() {
    new LocalStack(home.layout(), spec.commandLine().getOut())
        .up(new StackPorts(kafkaPort, kafkaControllerPort, s3Port));
  }
}
