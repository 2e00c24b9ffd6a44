package io.alfer.embed.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.alfer.embed.config.Device;
import org.jboss.logging.Logger;

/**
 * The process's ONNX Runtime: the one {@link OrtEnvironment} and the execution provider chosen once
 * at start. With {@link Device#CUDA} or {@link Device#AUTO} it asks for the CUDA execution provider
 * and, when this build or host has none (the CPU build always), falls back to the CPU with a logged
 * warning. Sessions are opened through {@link #open}.
 */
public final class InferenceRuntime {
  private static final Logger LOG = Logger.getLogger(InferenceRuntime.class);

  /** Execution provider names as reported in events and health. */
  public static final String CPU = "cpu";

  public static final String CUDA = "cuda";

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final int cudaDeviceId;
  private final int intraOpThreads;
  private final boolean spinning;
  private final String provider;
  private final String fallbackReason;

  /**
   * Chooses the execution provider.
   *
   * @param intraOpThreads threads per session; 0 lets ONNX Runtime choose
   * @param spinning whether idle intra-op threads spin (ONNX Runtime's default) or sleep
   */
  public InferenceRuntime(Device device, int cudaDeviceId, int intraOpThreads, boolean spinning) {
    this.cudaDeviceId = cudaDeviceId;
    this.intraOpThreads = intraOpThreads;
    this.spinning = spinning;
    if (device == Device.CPU) {
      provider = CPU;
      fallbackReason = "";
    } else {
      String failure = cudaFailure(cudaDeviceId);
      provider = failure.isEmpty() ? CUDA : CPU;
      fallbackReason = failure;
      if (failure.isEmpty()) {
        LOG.infof("ONNX Runtime uses the CUDA execution provider on device %d", cudaDeviceId);
      } else {
        LOG.warnf(
            "alfer.embed.device=%s but the CUDA execution provider is unavailable (%s);"
                + " running on the CPU",
            device.name().toLowerCase(java.util.Locale.ROOT), failure);
      }
    }
  }

  /** The execution provider sessions use: {@value #CPU} or {@value #CUDA}. */
  public String provider() {
    return provider;
  }

  /** Why CUDA was not used although asked for; empty when it was, or was not asked for. */
  public String fallbackReason() {
    return fallbackReason;
  }

  /**
   * Opens a session on a model's ONNX bytes and checks them.
   *
   * @param classifier whether the model must have a {@code logits} output
   * @throws InvalidModelException when the bytes are not a model this service can run
   */
  public ModelSession open(String modelId, byte[] onnx, boolean classifier) {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    OrtSession session;
    try {
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      if (provider.equals(CUDA)) {
        options.addCUDA(cudaDeviceId);
      }
    } catch (OrtException e) {
      options.close();
      throw new IllegalStateException("cannot configure an ONNX Runtime session", e);
    }
    try {
      session = environment.createSession(onnx, options);
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw new InvalidModelException(
          "model " + modelId + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
    // wrap owns session and options from here: it closes both when it refuses the model
    return ModelSession.wrap(environment, modelId, session, options, classifier, provider);
  }

  private static String cudaFailure(int deviceId) {
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      probe.addCUDA(deviceId);
      return "";
    } catch (OrtException | RuntimeException | LinkageError e) {
      String message = e.getMessage();
      return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
  }
}
