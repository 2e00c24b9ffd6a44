package io.alfer.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.PretrainJob;
import io.alfer.proto.v1.TrainingRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingJobRequestTest {

  @Test
  void aPretrainingGoesToTheMessageAndBack() {
    TrainingRequest message =
        TrainingRequest.newBuilder()
            .setJobId("pre-1")
            .setPretrain(
                PretrainJob.newBuilder()
                    .setDataset("fer")
                    .setPreset("small")
                    .setEpochs(100)
                    .setBatchSize(256)
                    .setTemperature(0.5f)
                    .setLearningRate(0.3f)
                    .setWarmupEpochs(10)
                    .setSeed(7))
            .build();
    TrainingJobRequest request = TrainingJobRequest.of(message);
    assertThat(request.pretrain().temperature()).isEqualTo(0.5);
    assertThat(request.finetune()).isNull();
    assertThat(request.toMessage()).isEqualTo(message);
  }

  @Test
  void aFineTuningGoesToTheMessageAndBack() {
    TrainingRequest message =
        TrainingRequest.newBuilder()
            .setJobId("ft-1")
            .setFinetune(
                FinetuneJob.newBuilder()
                    .setCampaignId("c")
                    .setRound(2)
                    .setDataset("fer")
                    .addLabelled(LabelledImage.newBuilder().setImageId("a").setLabel(0))
                    .addLabelled(LabelledImage.newBuilder().setImageId("b").setLabel(6))
                    .setBaseModelId("pre-1")
                    .setPreset("paper")
                    .setSeed(3)
                    .setMaxEpochs(20)
                    .setDeepfool(true)
                    .setDeepfoolCandidates(500))
            .build();
    TrainingJobRequest request = TrainingJobRequest.of(message);
    assertThat(request.finetune().labelled())
        .containsExactly(
            new TrainingJobRequest.Labelled("a", 0), new TrainingJobRequest.Labelled("b", 6));
    assertThat(request.toMessage()).isEqualTo(message);
  }

  @Test
  void absentFieldsStayUnsetForTheTrainersDefaults() {
    TrainingJobRequest request =
        TrainingJobRequest.pretrain(
            null, new TrainingJobRequest.Pretrain("fer", null, null, null, null, null, null, null));
    assertThat(request.toMessage())
        .isEqualTo(
            TrainingRequest.newBuilder()
                .setPretrain(PretrainJob.newBuilder().setDataset("fer"))
                .build());
  }

  @Test
  void bothJobsOrAnIncompleteLabelAreRefusedByName() {
    TrainingJobRequest.Pretrain pretrain =
        new TrainingJobRequest.Pretrain("fer", null, null, null, null, null, null, null);
    TrainingJobRequest.Finetune finetune =
        new TrainingJobRequest.Finetune(
            "c",
            0,
            "fer",
            List.of(new TrainingJobRequest.Labelled("a", null)),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> new TrainingJobRequest("j", pretrain, finetune).toMessage())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
    assertThatThrownBy(() -> new TrainingJobRequest("j", null, finetune).toMessage())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finetune.labelled[0]");
  }
}
