package io.alfer.select.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.RoundEvaluated;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.StateChanged;
import io.alfer.proto.v1.TrainingRequested;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fold of campaign events: order, duplicates and events that do not fit. */
class CampaignFoldTest {
  static final String ID = "c-fold";

  static CampaignEvent.Builder event(long seq) {
    return CampaignEvent.newBuilder().setCampaignId(ID).setSequence(seq);
  }

  static List<CampaignEvent> history() {
    List<CampaignEvent> events = new ArrayList<>();
    events.add(
        event(0).setCreated(CampaignSpec.newBuilder().setCampaignId(ID).setRounds(1)).build());
    events.add(
        event(1)
            .setRoundSelected(
                RoundSelected.newBuilder()
                    .setRound(0)
                    .setSelected(2)
                    .addImages(SelectedImage.newBuilder().setImageId("a"))
                    .addImages(SelectedImage.newBuilder().setImageId("b")))
            .build());
    events.add(
        event(2)
            .setRoundLabelled(
                RoundLabelled.newBuilder()
                    .setRound(0)
                    .setLabelledTotal(2)
                    .addLabels(LabelledImage.newBuilder().setImageId("a").setLabel(1))
                    .addLabels(LabelledImage.newBuilder().setImageId("b").setLabel(0)))
            .build());
    events.add(
        event(4) // a gap: sequence 3 was a write that failed
            .setTrainingRequested(
                TrainingRequested.newBuilder().setRound(0).setJobId(ID + "-r0").setLabelledTotal(2))
            .build());
    events.add(
        event(5)
            .setRoundEvaluated(
                RoundEvaluated.newBuilder().setRound(0).setModelId(ID + "-r0").setTestAccuracy(0.5))
            .build());
    events.add(
        event(6)
            .setStateChanged(
                StateChanged.newBuilder().setState(CampaignState.CAMPAIGN_STATE_PAUSED))
            .build());
    return events;
  }

  @Test
  void theReplayFoldsEventsInSequenceOrderWhateverOrderTheyWereRead() {
    List<CampaignEvent> events = history();
    Collections.shuffle(events, new Random(5));
    CampaignBook book = new CampaignBook(e -> {});
    events.forEach(book::read);
    assertThat(book.find(ID)).isNull(); // nothing is applied before the replay has caught up
    book.foldReplay();

    Campaign c = book.find(ID);
    assertThat(c.state()).isEqualTo(CampaignState.CAMPAIGN_STATE_PAUSED);
    assertThat(c.rounds()).hasSize(1);
    assertThat(c.current().evaluated().getTestAccuracy()).isEqualTo(0.5);
    assertThat(c.labels()).containsEntry("a", 1).containsEntry("b", 0);
    assertThat(c.selectedIds()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.nextSequence()).isEqualTo(7);
    assertThat(c.phase()).isEqualTo(Phase.SCORING);
  }

  @Test
  void aRepeatedEventOrOneThatDoesNotFitChangesNothing() {
    Campaign c = new Campaign(ID);
    history().forEach(c::apply);
    assertThat(c.apply(history().get(1))).isFalse(); // same sequence again
    // a second selection of round 0 under a new sequence
    assertThat(
            c.apply(
                event(7)
                    .setRoundSelected(
                        RoundSelected.newBuilder()
                            .setRound(0)
                            .addImages(SelectedImage.newBuilder().setImageId("z")))
                    .build()))
        .isFalse();
    assertThat(c.selectedIds()).containsExactlyInAnyOrder("a", "b");
    // labels for a round never selected
    assertThat(c.apply(event(8).setRoundLabelled(RoundLabelled.newBuilder().setRound(3)).build()))
        .isFalse();
    assertThat(c.nextSequence()).isEqualTo(9);
  }

  @Test
  void nothingFollowsTheEnd() {
    Campaign c = new Campaign(ID);
    history().forEach(c::apply);
    assertThat(
            c.apply(
                event(7)
                    .setStateChanged(
                        StateChanged.newBuilder().setState(CampaignState.CAMPAIGN_STATE_CANCELLED))
                    .build()))
        .isTrue();
    assertThat(c.terminal()).isTrue();
    assertThat(c.phase()).isEqualTo(Phase.DONE);
    assertThat(
            c.apply(
                event(8)
                    .setStateChanged(
                        StateChanged.newBuilder().setState(CampaignState.CAMPAIGN_STATE_RUNNING))
                    .build()))
        .isFalse();
    assertThat(c.state()).isEqualTo(CampaignState.CAMPAIGN_STATE_CANCELLED);
  }

  @Test
  void afterTheReplayOnlyEventsThisProcessDidNotWriteAreApplied() {
    CampaignBook book = new CampaignBook(e -> {});
    book.foldReplay();
    List<CampaignEvent> events = history();
    Campaign c = book.slot(ID);
    for (CampaignEvent e : events.subList(0, 3)) {
      c.takeSequence();
      book.apply(e); // own writes, applied when written
    }
    book.read(events.get(1)); // read back: already applied
    assertThat(book.find(ID).rounds()).hasSize(1);
    book.read(events.get(3)); // not ours (sequence 4 was never taken here): applied
    assertThat(book.find(ID).current().training()).isNotNull();
  }
}
