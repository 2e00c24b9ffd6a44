package io.alfer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The user's commands without running services: exit codes, messages, the lines they print. */
class ServeCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  @Test
  void importAndCampaignExitWith3AndSayHowWhenNothingServes() throws Exception {
    Path csv = home.resolve("faces.csv");
    java.nio.file.Files.writeString(csv, "emotion,pixels,Usage\n");

    Result imported = run("import", csv.toString(), "--dataset", "mine", "--home", home.toString());
    Result listed = run("campaign", "list", "--home", home.toString());

    assertThat(imported.code()).as(imported.toString()).isEqualTo(3);
    assertThat(imported.err()).contains("the services are not running", "./alfer serve");
    assertThat(listed.code()).as(listed.toString()).isEqualTo(3);
  }

  @Test
  void statusExits3WhenNothingRuns() {
    Result status = run("status", "--home", home.toString());

    assertThat(status.code()).isEqualTo(3);
    assertThat(status.out()).contains("not running", "not served");
  }

  @Test
  void importRefusesAMissingFileBeforeCallingAnything() {
    Result r = run("import", home.resolve("nope.csv").toString(), "--dataset", "mine");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no such file or folder", "nope.csv");
  }

  @Test
  void servesBasePortIsChecked() {
    Result r = run("serve", "--home", home.toString(), "--base-port", "70000");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--base-port must be 0 or a port");
  }

  @Test
  void campaignStartRefusesPretrainWithABaseModel() {
    Result r =
        run(
            "campaign",
            "start",
            "--dataset",
            "mine",
            "--pretrain",
            "--base-model",
            "m1",
            "--home",
            home.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--pretrain and --base-model exclude each other");
  }

  @Test
  void watchSaysWhereALabellingRoundStands() throws Exception {
    JsonNode view =
        JSON.readTree(
            """
            {"state":"running","phase":"labelling","spec":{"rounds":3},
             "rounds":[{"round":0,"selected":[{},{}],"labelled":2},
                       {"round":1,"selected":[{},{},{}],"labelled":1}]}
            """);

    assertThat(CampaignCommand.Watch.phaseLine(view))
        .isEqualTo("round 1/3: labelling (1/3 labels in)");
  }

  @Test
  void watchSaysHowACampaignEnded() throws Exception {
    JsonNode view =
        JSON.readTree(
            "{\"state\":\"failed\",\"phase\":\"done\",\"message\":\"no labels\",\"rounds\":[]}");

    assertThat(CampaignCommand.Watch.phaseLine(view)).isEqualTo("failed: no labels");
  }

  @Test
  void importSummaryCountsRefusalsByReasonAndListsTheFirst() throws Exception {
    JsonNode view =
        JSON.readTree(
            """
            {"done":5,"accepted":3,"duplicates":0,"refused":2,
             "refusedByReason":{"bad_pixels":2},
             "refusals":[{"source":"faces.csv:3","reason":"bad_pixels","message":"2303 values"},
                         {"source":"faces.csv:4","reason":"bad_pixels","message":"empty"}]}
            """);
    ImportCommand command = new ImportCommand();
    command.showRefusals = 1;
    StringWriter out = new StringWriter();

    command.summarise(view, new PrintWriter(out, true));

    assertThat(out.toString())
        .contains("5 items read: 3 taken in, 0 already there, 2 refused")
        .containsPattern("bad_pixels +2")
        .contains("the first 1:", "faces.csv:3", "2303 values")
        .doesNotContain("faces.csv:4");
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AlferCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
