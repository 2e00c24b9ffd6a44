package io.alfer.trainer.job;

import ai.djl.engine.Engine;
import io.alfer.ml.engine.EngineSetup;
import io.alfer.trainer.config.TrainerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * The device jobs train on, chosen from {@code alfer.trainer.device} ({@code auto}, {@code cpu},
 * {@code gpu}) against what DJL's engine sees, and the permit that lets one job at a time use it. A
 * setting that cannot be honoured stops the start-up with the reason.
 */
@ApplicationScoped
public class TrainingDevice {
  private static final Logger LOG = Logger.getLogger(TrainingDevice.class);

  private final TrainerConfig config;
  private final Semaphore permit = new Semaphore(1, true);
  private volatile String resolved;

  public TrainingDevice(TrainerConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    // before the engine's first allocation (transparent huge pages for large tensors)
    LOG.infof("engine setup: %s", EngineSetup.prepare());
    resolved = resolve(config.device(), Engine.getInstance().getGpuCount());
    LOG.infof(
        "training device: %s (alfer.trainer.device=%s, engine %s)",
        resolved, config.device(), Engine.getInstance().getEngineName());
  }

  /**
   * The device for a setting, given the GPUs the engine sees.
   *
   * @throws IllegalStateException when the setting cannot be honoured
   */
  static String resolve(String setting, int gpus) {
    String wanted = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
    return switch (wanted) {
      case "auto" -> gpus > 0 ? "gpu" : "cpu";
      case "gpu" -> {
        if (gpus == 0) {
          throw new IllegalStateException(
              "alfer.trainer.device=gpu but DJL's engine sees no CUDA device; run the GPU image"
                  + " (CUDA natives) on a GPU node, or set device=cpu|auto");
        }
        yield "gpu";
      }
      case "cpu" -> {
        if (gpus > 0) {
          throw new IllegalStateException(
              "alfer.trainer.device=cpu but DJL's engine sees "
                  + gpus
                  + " GPU(s) and would use them; hide them (CUDA_VISIBLE_DEVICES=) or set"
                  + " device=gpu|auto");
        }
        yield "cpu";
      }
      default ->
          throw new IllegalStateException(
              "alfer.trainer.device must be auto, cpu or gpu, got '" + setting + "'");
    };
  }

  /** The device in use: cpu or gpu (null before start-up). */
  public String name() {
    return resolved;
  }

  /** Waits for the device. */
  void acquire() throws InterruptedException {
    permit.acquire();
  }

  /** Frees the device. */
  void release() {
    permit.release();
  }
}
