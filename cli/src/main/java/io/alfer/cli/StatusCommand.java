package io.alfer.cli;

import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackHomeOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code alfer status}: what of the local stack runs, and where. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Tells what of the local stack runs and where.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the whole stack runs", "3:some or all of it does not run"})
final class StatusCommand implements Callable<Integer> {
  /** Exit code when not everything runs (as in the LSB's "program is not running"). */
  static final int NOT_RUNNING = 3;

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Override
  public Integer call() {
    boolean running = new LocalStack(home.layout(), spec.commandLine().getOut()).status();
    return running ? 0 : NOT_RUNNING;
  }
}
