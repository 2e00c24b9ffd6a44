package io.alfer.core.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.Hashes;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The codec of claim checks, without storage: what moves out, what comes back, what is refused. */
class ClaimCheckTest {
  static SelectionMade selection(int images) {
    SelectionMade.Builder b =
        SelectionMade.newBuilder()
            .setCampaignId("c-1")
            .setRound(3)
            .setDataset("fer")
            .addVendors("oracle")
            .setAnnotationsPerImage(2);
    for (int i = 0; i < images; i++) {
      b.addImages(SelectedImage.newBuilder().setImageId("img-" + i).setScore(i / 10.0));
    }
    return b.build();
  }

  /** What a writer does: the payload's bytes stored under the key, the event naming them. */
  static SelectionMade claimed(SelectionMade full, byte[] bytes) {
    ClaimCheck<SelectionMade> check = ClaimCheck.SELECTION_MADE;
    return check.withClaim(full, ref(check.key(bytes), bytes));
  }

  static ObjectRef ref(String key, byte[] bytes) {
    return ObjectRef.newBuilder()
        .setBucket("alfer")
        .setKey(key)
        .setSizeBytes(bytes.length)
        .setSha256(Hashes.sha256Hex(bytes))
        .build();
  }

  @Test
  void theClaimedFieldsMoveOutAndComeBackExactly() throws Exception {
    ClaimCheck<SelectionMade> check = ClaimCheck.SELECTION_MADE;
    SelectionMade full = selection(500);
    SelectionMade payload = check.payload(full);
    assertThat(payload.getImagesList()).isEqualTo(full.getImagesList());
    assertThat(payload.getCampaignId()).isEmpty();
    byte[] bytes = payload.toByteArray();

    SelectionMade sent = claimed(full, bytes);
    assertThat(check.claimed(sent)).isTrue();
    assertThat(sent.getImagesCount()).isZero();
    assertThat(sent.getCampaignId()).isEqualTo("c-1");
    assertThat(sent.getVendorsList()).containsExactly("oracle");
    assertThat(sent.getSerializedSize()).isLessThan(200);

    SelectionMade back = check.join(sent, bytes);
    assertThat(back).isEqualTo(full);
    assertThat(check.claimed(back)).isFalse();
  }

  @Test
  void keysAreContentAddressedByKind() {
    byte[] a = ClaimCheck.SELECTION_MADE.payload(selection(3)).toByteArray();
    byte[] b = ClaimCheck.SELECTION_MADE.payload(selection(4)).toByteArray();
    assertThat(ClaimCheck.SELECTION_MADE.key(a))
        .isEqualTo("claims/selection-made/" + Hashes.sha256Hex(a) + ".pb")
        .isEqualTo(ClaimCheck.SELECTION_MADE.key(a.clone()))
        .isNotEqualTo(ClaimCheck.SELECTION_MADE.key(b));
    assertThat(ClaimCheck.ROUND_SELECTED.kind()).isEqualTo("round-selected");
    assertThat(ClaimCheck.ROUND_LABELLED.kind()).isEqualTo("round-labelled");
    assertThat(ClaimCheck.FINETUNE_JOB.kind()).isEqualTo("finetune-job");
  }

  @Test
  void everyClaimedFieldOfAMessageTravelsTogether() throws Exception {
    ClaimCheck<RoundLabelled> check = ClaimCheck.ROUND_LABELLED;
    RoundLabelled full =
        RoundLabelled.newBuilder()
            .setRound(2)
            .setLabelledTotal(40)
            .addLabels(LabelledImage.newBuilder().setImageId("a").setLabel(1))
            .addLabels(LabelledImage.newBuilder().setImageId("b").setLabel(0))
            .addUnanswered("c")
            .build();
    byte[] bytes = check.payload(full).toByteArray();
    RoundLabelled sent = check.withClaim(full, ref(check.key(bytes), bytes));
    assertThat(sent.getLabelsCount()).isZero();
    assertThat(sent.getUnansweredCount()).isZero();
    assertThat(sent.getLabelledTotal()).isEqualTo(40);
    assertThat(check.join(sent, bytes)).isEqualTo(full);
  }

  @Test
  void anObjectOfAnotherSizeOrChecksumIsCorrupt() {
    SelectionMade full = selection(20);
    byte[] bytes = ClaimCheck.SELECTION_MADE.payload(full).toByteArray();
    SelectionMade sent = claimed(full, bytes);

    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(sent, truncated))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.CORRUPT))
        .hasMessageContaining("bytes");

    byte[] flipped = bytes.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(sent, flipped))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.CORRUPT))
        .hasMessageContaining("SHA-256");

    SelectionMade noChecksum =
        sent.toBuilder().setClaim(sent.getClaim().toBuilder().clearSha256()).build();
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(noChecksum, bytes))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.CORRUPT));
  }

  @Test
  void anObjectThatIsNotThePayloadIsUndecodable() {
    SelectionMade full = selection(5);
    // not protobuf at all: a varint that never ends (its checksum matches: written so)
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(claimed(full, garbage), garbage))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.UNDECODABLE));

    // protobuf of the type, but with more than the claimed field: a whole event, not a payload
    byte[] whole = full.toByteArray();
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(claimed(full, whole), whole))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.UNDECODABLE))
        .hasMessageContaining("campaign_id");

    // a message of another type: its fields are unknown here
    byte[] other =
        FinetuneJob.newBuilder()
            .setCampaignId("x")
            .setMaxEpochs(3)
            .setDeepfool(true)
            .build()
            .toByteArray();
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(claimed(full, other), other))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.UNDECODABLE));
  }

  @Test
  void anEventWithBothAClaimAndInlineEntriesIsRefused() {
    SelectionMade full = selection(5);
    byte[] bytes = ClaimCheck.SELECTION_MADE.payload(full).toByteArray();
    SelectionMade both =
        claimed(full, bytes).toBuilder()
            .addImages(SelectedImage.newBuilder().setImageId("extra"))
            .build();
    assertThatThrownBy(() -> ClaimCheck.SELECTION_MADE.join(both, bytes))
        .isInstanceOfSatisfying(
            ClaimRefused.class, e -> assertThat(e.reason()).isEqualTo(ClaimRefused.UNDECODABLE))
        .hasMessageContaining("inline images");
  }

  @Test
  void aCheckNeedsAnObjectRefClaimAndRepeatedFields() {
    assertThatThrownBy(
            () ->
                ClaimCheck.of(
                    SelectionMade.getDefaultInstance(),
                    SelectionMade.ROUND_FIELD_NUMBER,
                    SelectionMade.IMAGES_FIELD_NUMBER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ClaimCheck.of(
                    SelectionMade.getDefaultInstance(),
                    SelectionMade.CLAIM_FIELD_NUMBER,
                    SelectionMade.DATASET_FIELD_NUMBER))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
