package io.alfer.kit.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.alfer.core.claim.ClaimCheck;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.S3ProxyServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Claim checks on the test kit's real S3 server: small payloads stay in the event, large ones go to
 * {@code claims/} and come back whole; a missing or corrupt object is refused with its reason; an
 * outage is a storage failure to retry, never a refusal.
 */
class ClaimsTest {
  /** Small enough that a few dozen images or labels go to storage. */
  static final int LIMIT = 512;

  private final ObjectStore store = S3ProxyServer.shared().objectStore();
  private final Claims claims = new Claims(store, LIMIT);

  /** A selection whose image ids are unique to this test run (its payload is new content). */
  static SelectionMade selection(int images) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    SelectionMade.Builder b =
        SelectionMade.newBuilder().setCampaignId("c-" + run).setRound(1).setDataset("fer");
    for (int i = 0; i < images; i++) {
      b.addImages(SelectedImage.newBuilder().setImageId(run + "-" + i).setScore(i));
    }
    return b.build();
  }

  static String reason(ThrowingResolve resolve) {
    try {
      resolve.run();
    } catch (ClaimRefused e) {
      return e.reason();
    }
    throw new AssertionError("the claim was honoured");
  }

  interface ThrowingResolve {
    void run() throws ClaimRefused;
  }

  @Test
  void aPayloadWithinTheLimitStaysInTheEventAsItWas() throws Exception {
    SelectionMade small = selection(3);
    assertThat(ClaimCheck.SELECTION_MADE.payload(small).getSerializedSize()).isLessThan(LIMIT);
    SelectionMade sent = claims.pack(ClaimCheck.SELECTION_MADE, small);
    assertThat(sent).isSameAs(small);
    byte[] payload = ClaimCheck.SELECTION_MADE.payload(small).toByteArray();
    assertThat(store.exists(ClaimCheck.SELECTION_MADE.key(payload))).isFalse();
    assertThat(claims.resolve(ClaimCheck.SELECTION_MADE, sent)).isSameAs(sent);
  }

  @Test
  void aLargerPayloadIsWrittenFirstAndTheEventNamesIt() throws Exception {
    SelectionMade full = selection(200);
    SelectionMade sent = claims.pack(ClaimCheck.SELECTION_MADE, full);

    assertThat(sent.getImagesCount()).isZero();
    assertThat(sent.getCampaignId()).isEqualTo(full.getCampaignId());
    assertThat(sent.getSerializedSize()).isLessThan(LIMIT);
    ObjectRef claim = sent.getClaim();
    byte[] payload = ClaimCheck.SELECTION_MADE.payload(full).toByteArray();
    assertThat(claim.getKey()).startsWith("claims/selection-made/").endsWith(".pb");
    assertThat(claim.getBucket()).isEqualTo(store.bucket());
    assertThat(claim.getSizeBytes()).isEqualTo(payload.length);
    assertThat(store.get(claim.getKey())).isEqualTo(payload);

    // a reader needs no limit of its own; a second packing names the same object
    assertThat(new Claims(store, 0).resolve(ClaimCheck.SELECTION_MADE, sent)).isEqualTo(full);
    assertThat(claims.pack(ClaimCheck.SELECTION_MADE, full)).isEqualTo(sent);
    assertThat(claims.pack(ClaimCheck.SELECTION_MADE, sent)).isSameAs(sent);
  }

  @Test
  void campaignEventsAndTrainingRequestsCarryTheirPayloadsTheSameWay() throws Exception {
    SelectionMade picks = selection(100);
    CampaignEvent selected =
        CampaignEvent.newBuilder()
            .setCampaignId("c")
            .setSequence(1)
            .setRoundSelected(
                RoundSelected.newBuilder()
                    .setRound(0)
                    .setSelected(100)
                    .addAllImages(picks.getImagesList()))
            .build();
    CampaignEvent sentSelected = claims.pack(selected);
    assertThat(sentSelected.getRoundSelected().getImagesCount()).isZero();
    assertThat(sentSelected.getRoundSelected().getClaim().getKey())
        .startsWith("claims/round-selected/");
    assertThat(claims.resolve(sentSelected)).isEqualTo(selected);

    RoundLabelled.Builder labels = RoundLabelled.newBuilder().setRound(0).setLabelledTotal(90);
    FinetuneJob.Builder job = FinetuneJob.newBuilder().setCampaignId("c").setDataset("fer");
    for (int i = 0; i < 100; i++) {
      String id = picks.getImages(i).getImageId();
      if (i < 90) {
        labels.addLabels(LabelledImage.newBuilder().setImageId(id).setLabel(i % 7));
        job.addLabelled(LabelledImage.newBuilder().setImageId(id).setLabel(i % 7));
      } else {
        labels.addUnanswered(id);
      }
    }
    CampaignEvent labelled =
        CampaignEvent.newBuilder()
            .setCampaignId("c")
            .setSequence(2)
            .setRoundLabelled(labels)
            .build();
    CampaignEvent sentLabelled = claims.pack(labelled);
    assertThat(sentLabelled.getRoundLabelled().getLabelsCount()).isZero();
    assertThat(sentLabelled.getRoundLabelled().getUnansweredCount()).isZero();
    assertThat(claims.resolve(sentLabelled)).isEqualTo(labelled);

    TrainingRequest request =
        TrainingRequest.newBuilder().setJobId("c-r0").setFinetune(job).build();
    TrainingRequest sentRequest = claims.pack(request);
    assertThat(sentRequest.getFinetune().getLabelledCount()).isZero();
    assertThat(sentRequest.getFinetune().getClaim().getKey()).startsWith("claims/finetune-job/");
    assertThat(claims.resolve(sentRequest)).isEqualTo(request);

    // events without a payload of that kind pass as they are
    CampaignEvent created =
        CampaignEvent.newBuilder()
            .setCampaignId("c")
            .setCreated(CampaignSpec.newBuilder().setCampaignId("c"))
            .build();
    assertThat(claims.pack(created)).isSameAs(created);
    assertThat(claims.resolve(created)).isSameAs(created);
  }

  @Test
  void aClaimWhoseObjectIsGoneIsRefusedAsMissing() throws Exception {
    SelectionMade sent = claims.pack(ClaimCheck.SELECTION_MADE, selection(100));
    store.delete(sent.getClaim().getKey());
    assertThat(reason(() -> claims.resolve(ClaimCheck.SELECTION_MADE, sent)))
        .isEqualTo(ClaimRefused.MISSING);

    SelectionMade otherBucket =
        claims.pack(ClaimCheck.SELECTION_MADE, selection(100)).toBuilder()
            .setClaim(sent.getClaim().toBuilder().setBucket("elsewhere"))
            .build();
    assertThat(reason(() -> claims.resolve(ClaimCheck.SELECTION_MADE, otherBucket)))
        .isEqualTo(ClaimRefused.MISSING);
  }

  @Test
  void aClaimWhoseObjectChangedIsRefusedAsCorruptUntilItIsWrittenAgain() throws Exception {
    SelectionMade full = selection(100);
    SelectionMade sent = claims.pack(ClaimCheck.SELECTION_MADE, full);
    byte[] bytes = store.get(sent.getClaim().getKey());
    bytes[bytes.length / 2] ^= 0x20;
    store.put(sent.getClaim().getKey(), bytes, Claims.CONTENT_TYPE);
    assertThat(reason(() -> claims.resolve(ClaimCheck.SELECTION_MADE, sent)))
        .isEqualTo(ClaimRefused.CORRUPT);

    // packing the same payload again writes the object again
    assertThat(claims.pack(ClaimCheck.SELECTION_MADE, full)).isEqualTo(sent);
    assertThat(claims.resolve(ClaimCheck.SELECTION_MADE, sent)).isEqualTo(full);
  }

  @Test
  void anOutageIsAStorageFailureToRetryNotARefusal() throws Exception {
    S3ProxyServer own = new S3ProxyServer(Map.of());
    assumeThat(own.external()).as("needs an S3 process of its own to kill").isFalse();
    own.start();
    try {
      Claims outageClaims = new Claims(own.objectStore(), LIMIT);
      SelectionMade full = selection(100);
      SelectionMade sent = outageClaims.pack(ClaimCheck.SELECTION_MADE, full);

      own.kill();
      assertThatThrownBy(() -> outageClaims.resolve(ClaimCheck.SELECTION_MADE, sent))
          .isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> outageClaims.pack(ClaimCheck.SELECTION_MADE, selection(100)))
          .isInstanceOf(StorageException.class);

      own.restart();
      assertThat(outageClaims.resolve(ClaimCheck.SELECTION_MADE, sent)).isEqualTo(full);
    } finally {
      own.close();
    }
  }
}
