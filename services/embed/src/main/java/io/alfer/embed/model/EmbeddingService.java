package io.alfer.embed.model;

import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.InvalidImageException;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.embed.config.EmbedConfig;
import io.alfer.embed.inference.BatchOutput;
import io.alfer.embed.inference.ModelClosedException;
import io.alfer.embed.inference.ModelSession;
import io.alfer.kit.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/** Embeds one posted image with a live model, normalised exactly as ingest normalises. */
@ApplicationScoped
public class EmbeddingService {
  private final ModelRegistry registry;
  private final EmbedConfig config;

  public EmbeddingService(ModelRegistry registry, EmbedConfig config) {
    this.registry = registry;
    this.config = config;
  }

  /** Every model known here, optionally of one dataset, newest first. */
  public List<ModelView> models(String dataset) {
    return registry.all().stream()
        .filter(e -> dataset == null || e.model().getDataset().equals(dataset))
        .map(ModelView::of)
        .toList();
  }

  /** One model. */
  public ModelView model(String modelId) {
    return ModelView.of(entry(modelId));
  }

  /** The outputs of a live model for one encoded image (PNG, JPEG, BMP, GIF). */
  public ImageEmbedding embed(String modelId, byte[] image) {
    if (image.length > config.maxImageBytes()) {
      throw ServiceException.tooLarge(
          "image of " + image.length + " bytes; the limit is " + config.maxImageBytes());
    }
    ModelEntry entry = entry(modelId);
    ModelSession session = session(entry);
    NormalizedImage normalized;
    try {
      normalized = new ImageNormalizer(session.height(), config.maxPixels()).normalize(image);
    } catch (InvalidImageException e) {
      String reason = e.reason().name().toLowerCase(Locale.ROOT);
      if (e.reason() == InvalidImageException.Reason.UNSUPPORTED_FORMAT) {
        throw new ServiceException(415, reason, e.getMessage());
      }
      throw ServiceException.badRequest(reason, e.getMessage());
    }
    BatchOutput out;
    try {
      out = session.run(normalized.pixels(), 1);
    } catch (ModelClosedException e) {
      throw ServiceException.gone("model_retired", e.getMessage());
    }
    return new ImageEmbedding(
        modelId,
        normalized.id(),
        session.provider(),
        out.embeddings(),
        out.probabilities(),
        List.copyOf(entry.model().getTaxonomy().getClassesList()));
  }

  private ModelEntry entry(String modelId) {
    return registry
        .find(modelId)
        .orElseThrow(() -> ServiceException.notFound("unknown_model", "no model " + modelId));
  }

  private ModelSession session(ModelEntry entry) {
    try {
      return registry.session(entry);
    } catch (ModelUnavailableException e) {
      if (e.state() == ModelState.RETIRED) {
        throw ServiceException.gone("model_retired", e.getMessage());
      }
      throw ServiceException.conflict("model_unusable", e.getMessage());
    }
  }
}
