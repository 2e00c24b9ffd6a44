package io.alfer.cli.stack;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option of the stack commands: the one folder with all data and logs. */
public final class StackHomeOption {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      defaultValue = "${env:ALFER_HOME}",
      description =
          "Folder for the stack's data, logs and pid files (env ALFER_HOME; default <repo>/.alfer).")
  Path home;

  /** The stack's folders. */
  public StackLayout layout() {
    return new StackLayout(home != null ? home : StackJars.repositoryRoot().resolve(".alfer"));
  }
}
