package io.alfer.cli;

import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackHomeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code alfer down}: stops the local stack; its data stays in ALFER_HOME. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stops the local stack; its data stays.",
      "%nStops the Kafka broker and the S3 server started by 'alfer up' (SIGTERM, then SIGKILL"
          + " after a grace period). Data stays in ALFER_HOME; delete that folder to start afresh."
    })
final class DownCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Override
  public void run() {
    new LocalStack(home.layout(), spec.commandLine().getOut()).down();
  }
}
