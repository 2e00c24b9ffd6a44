package io.alfer.embed.model;

import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import java.util.List;
import java.util.Locale;

/**
 * A model as the REST API shows it.
 *
 * @param modelId model id
 * @param kind encoder or classifier
 * @param dataset dataset it was trained on
 * @param campaignId campaign, for classifiers; empty otherwise
 * @param round campaign round, for classifiers
 * @param state live, retired or failed
 * @param failure why it failed; empty otherwise
 * @param inputWidth input width in pixels
 * @param inputHeight input height in pixels
 * @param embeddingDim embedding width
 * @param classes class names, for classifiers
 */
public record ModelView(
    String modelId,
    String kind,
    String dataset,
    String campaignId,
    int round,
    String state,
    String failure,
    int inputWidth,
    int inputHeight,
    int embeddingDim,
    List<String> classes) {

  static ModelView of(ModelEntry e) {
    ModelPublished m = e.model();
    return new ModelView(
        m.getModelId(),
        m.getKind() == ModelKind.MODEL_KIND_CLASSIFIER ? "classifier" : "encoder",
        m.getDataset(),
        m.getCampaignId(),
        m.getRound(),
        e.state().name().toLowerCase(Locale.ROOT),
        e.failure(),
        m.getInputWidth(),
        m.getInputHeight(),
        m.getEmbeddingDim(),
        List.copyOf(m.getTaxonomy().getClassesList()));
  }
}
