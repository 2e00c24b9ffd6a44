package io.alfer.select.loop;

import io.alfer.al.Pick;
import io.alfer.al.Selection;
import io.alfer.al.SelectionStrategy;
import io.alfer.al.campaign.CampaignRules;
import io.alfer.al.strategy.Strategies;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.PoolSource;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionProvenance;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.inputs.Inputs;
import io.alfer.select.inputs.PoolEmbeddings;
import io.alfer.select.metrics.SelectMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Chooses a round's batch and records how (see {@link CampaignRules} for the rules), and recomputes
 * a recorded round from its provenance. Round 0 is the initial set — random on the sorted pool ids,
 * or a cold-start strategy on the base encoder's pool embeddings; round r ≥ 1 runs the campaign's
 * strategy on round r-1's classifier outputs with seed {@code seed + r}. The pool the strategy saw
 * is stored as an id list ({@code reports/campaigns/<id>/round-<r>/pool-ids.txt}) and named, with
 * the matrices it came from, in the round's {@code RoundSelected}.
 */
@ApplicationScoped
public class Selections {
  private static final Logger LOG = Logger.getLogger(Selections.class);

  private final ObjectStore store;
  private final PoolLoader loader;
  private final SelectMetrics metrics;

  public Selections(ObjectStore store, SelectMetrics metrics) {
    this.store = store;
    this.loader = new PoolLoader(store);
    this.metrics = metrics;
  }

  /** The object key of the pool ids of a round. */
  public static String poolIdsKey(String campaignId, int round) {
    return StorageLayout.reportsPrefix("campaigns")
        + campaignId
        + "/round-"
        + round
        + "/pool-ids.txt";
  }

  /** The size round {@code round} asks for. */
  static int roundSize(CampaignSpec spec, int round, int labelledBefore) {
    if (round == 0) {
      return spec.getResolved().getInitialSize();
    }
    return CampaignRules.roundBudget(
        spec.getResolved().getBudgetPerRound(), spec.getTotalBudget(), labelledBefore);
  }

  /** Selects round {@code round} of {@code c}; computes only, writes nothing but the pool ids. */
  Outcome<RoundSelected> select(Campaign c, int round, Inputs inputs) {
    CampaignSpec spec = c.spec();
    int labelledBefore = c.labelledBefore(round);
    int size = roundSize(spec, round, labelledBefore);
    long seed = CampaignRules.roundSeed(spec.getSeed(), round);
    try {
      if (round == 0 && spec.getInitialStrategy().equals("random")) {
        List<String> ids = inputs.poolIds(spec.getDataset());
        Selection s = CampaignRules.initialRandom(ids, size, seed);
        return Outcome.done(
            record(c, round, "", "", s, List.of(), CampaignRules.poolOrder(ids), labelledBefore));
      }
      String modelId;
      String strategy;
      Map<String, String> parameters;
      if (round == 0) {
        modelId = spec.getBaseModelId();
        strategy = spec.getInitialStrategy();
        parameters = Map.of();
      } else {
        Campaign.Round previous = c.round(round - 1, false);
        modelId = previous.evaluated().getModelId();
        strategy = spec.getStrategy();
        parameters = spec.getStrategyParametersMap();
      }
      PoolEmbeddings embeddings = inputs.poolEmbeddings(modelId);
      if (!embeddings.ready()) {
        return Outcome.waiting("waiting for the pool embeddings of model " + modelId);
      }
      c.scoresReady(true);
      ModelPublished model = inputs.model(modelId).orElse(null);
      SelectionStrategy chosen = Strategies.create(strategy, parameters);
      List<PoolSource> sources = sources(embeddings);
      Map<String, Integer> labels = labelMap(c, round);
      PoolLoader.Loaded loaded =
          loader.load(
              new PoolLoader.Request(
                  sources,
                  Set.copyOf(inputs.poolIds(spec.getDataset())),
                  null,
                  labels,
                  chosen.requires(),
                  model));
      Selection s = chosen.select(loaded.pool(), size, seed);
      String ref = StorageLayout.embeddingsPrefix(modelId, spec.getDataset(), "pool");
      return Outcome.done(record(c, round, modelId, ref, s, sources, loaded.ids(), labelledBefore));
    } catch (PoolLoader.Unusable e) {
      return Outcome.fail(e.reason, e.getMessage());
    } catch (StorageException e) {
      LOG.warnf(
          "campaign %s round %d: object storage failed (%s); retrying",
          c.id(), round, e.getMessage());
      return Outcome.waiting("object storage unavailable: " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Outcome.fail("selection_failed", e.getMessage());
    }
  }

  private RoundSelected record(
      Campaign c,
      int round,
      String modelId,
      String embeddingsRef,
      Selection s,
      List<PoolSource> sources,
      String[] poolIds,
      int labelledBefore) {
    metrics.selection(s.strategy(), s.elapsed());
    ObjectRef pool =
        store.put(poolIdsKey(c.id(), round), IdList.toBytes(List.of(poolIds)), IdList.CONTENT_TYPE);
    RoundSelected.Builder b =
        RoundSelected.newBuilder()
            .setRound(round)
            .setSelected(s.picks().size())
            .setModelId(modelId)
            .setProvenance(
                SelectionProvenance.newBuilder()
                    .setModelId(modelId)
                    .setEmbeddingsRef(embeddingsRef)
                    .setStrategy(s.strategy())
                    .putAllParameters(new TreeMap<>(s.parameters()))
                    .setSeed(s.seed())
                    .setSeconds(s.elapsed().toNanos() / 1e9))
            .setPoolIds(pool)
            .addAllSources(sources)
            .setPoolRows(poolIds.length)
            .setLabelledBefore(labelledBefore);
    for (Pick p : s.picks()) {
      b.addImages(SelectedImage.newBuilder().setImageId(p.id()).setScore(p.score()));
    }
    LOG.infof(
        "campaign %s round %d: %s picked %d of %d pool rows in %.3f s",
        c.id(), round, s.strategy(), s.picks().size(), poolIds.length, s.elapsed().toNanos() / 1e9);
    return b.build();
  }

  private static List<PoolSource> sources(PoolEmbeddings embeddings) {
    List<PoolSource> out = new ArrayList<>();
    for (EmbeddingsReady e : embeddings.all()) {
      out.add(
          PoolSource.newBuilder()
              .setIds(e.getIds())
              .setEmbeddings(e.getEmbeddings())
              .setProbabilities(e.getProbabilities())
              .setIncrement(e.getIncrement())
              .build());
    }
    return out;
  }

  private static Map<String, Integer> labelMap(Campaign c, int round) {
    Map<String, Integer> labels = new LinkedHashMap<>();
    c.labelsBefore(round).forEach(l -> labels.put(l.getImageId(), l.getLabel()));
    return labels;
  }

  /**
   * A round computed again from its provenance.
   *
   * @param matches whether the picks (ids, order and scores) are those recorded
   * @param recorded the recorded picks
   * @param recomputed the picks now
   * @param firstDifference index of the first pick that differs, -1 when none
   * @param seconds time the strategy took now
   */
  public record Recomputed(
      boolean matches,
      List<SelectedImage> recorded,
      List<SelectedImage> recomputed,
      int firstDifference,
      double seconds) {}

  /**
   * Recomputes a recorded round: the same pool rows (read back from the stored id list, checked
   * against its SHA-256), the same matrices, model, labels, strategy, parameters and seed.
   *
   * @throws PoolLoader.Unusable (as {@link IllegalStateException}) when something it needs is gone
   */
  public Recomputed recompute(Campaign c, int round, Inputs inputs) {
    RoundSelected rec = c.round(round, false).selected();
    SelectionProvenance p = rec.getProvenance();
    byte[] poolBytes =
        store
            .find(rec.getPoolIds().getKey())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the pool ids " + rec.getPoolIds().getKey() + " are gone"));
    if (!rec.getPoolIds().getSha256().isEmpty()
        && !rec.getPoolIds().getSha256().equals(Hashes.sha256Hex(poolBytes))) {
      throw new IllegalStateException("the pool ids " + rec.getPoolIds().getKey() + " changed");
    }
    List<String> rows = IdList.fromBytes(poolBytes);
    SelectionStrategy strategy = Strategies.create(p.getStrategy(), p.getParametersMap());
    Map<String, Integer> labels = labelMap(c, round);
    Set<String> labelledIds = new HashSet<>(c.selectedIdsBefore(round));
    labelledIds.removeAll(labels.keySet());
    labelledIds.removeAll(c.unansweredBefore(round)); // back in the pool when this round chose
    labelledIds.forEach(id -> labels.put(id, -1));
    ModelPublished model =
        p.getModelId().isEmpty() ? null : inputs.model(p.getModelId()).orElse(null);
    PoolLoader.Loaded loaded;
    try {
      loaded =
          loader.load(
              new PoolLoader.Request(
                  rec.getSourcesList(), null, rows, labels, strategy.requires(), model));
    } catch (PoolLoader.Unusable e) {
      throw new IllegalStateException(e.reason + ": " + e.getMessage(), e);
    }
    Selection s = strategy.select(loaded.pool(), rec.getSelected(), p.getSeed());
    List<SelectedImage> now = new ArrayList<>();
    for (Pick pick : s.picks()) {
      now.add(SelectedImage.newBuilder().setImageId(pick.id()).setScore(pick.score()).build());
    }
    int diff = -1;
    List<SelectedImage> before = rec.getImagesList();
    for (int i = 0; i < Math.max(before.size(), now.size()); i++) {
      if (i >= before.size() || i >= now.size() || !before.get(i).equals(now.get(i))) {
        diff = i;
        break;
      }
    }
    return new Recomputed(diff < 0, before, now, diff, s.elapsed().toNanos() / 1e9);
  }
}
