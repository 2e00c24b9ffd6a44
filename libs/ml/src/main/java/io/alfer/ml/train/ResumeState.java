package io.alfer.ml.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A training run's state at an epoch boundary: the run it belongs to (kind and seed), epochs done,
 * network parameters and optimizer state.
 *
 * @param kind which trainer wrote it (e.g. "simclr")
 * @param seed the run's seed
 * @param completedEpochs epochs done
 * @param parameters the network's parameters
 * @param optimizerState the {@link ParameterUpdater}'s state
 */
public record ResumeState(
    String kind, long seed, int completedEpochs, byte[] parameters, byte[] optimizerState) {
  private static final int MAGIC = 0x414C5253; // "ALRS"
  private static final int VERSION = 1;

  /** Serialises the state. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(kind);
      out.writeLong(seed);
      out.writeInt(completedEpochs);
      out.writeInt(parameters.length);
      out.write(parameters);
      out.writeInt(optimizerState.length);
      out.write(optimizerState);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads what {@link #toBytes()} wrote; fails clearly on anything else. */
  public static ResumeState fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not an alfer resume state (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException("unsupported resume-state version " + version);
      }
      String kind = in.readUTF();
      long seed = in.readLong();
      int epochs = in.readInt();
      byte[] parameters = new byte[in.readInt()];
      in.readFully(parameters);
      byte[] optimizer = new byte[in.readInt()];
      in.readFully(optimizer);
      return new ResumeState(kind, seed, epochs, parameters, optimizer);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated or corrupt resume state: " + e.getMessage(), e);
    }
  }

  /** Fails unless this state belongs to a run of this kind and seed. */
  public void requireRun(String expectedKind, long expectedSeed) {
    if (!kind.equals(expectedKind) || seed != expectedSeed) {
      throw new IllegalArgumentException(
          "resume state is from a "
              + kind
              + " run with seed "
              + seed
              + ", not a "
              + expectedKind
              + " run with seed "
              + expectedSeed);
    }
  }
}
