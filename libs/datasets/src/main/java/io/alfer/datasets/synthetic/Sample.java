package io.alfer.datasets.synthetic;

import io.alfer.proto.v1.Split;

/**
 * One synthetic face.
 *
 * @param index position in the generator's sequence
 * @param label FER7 label (see {@link io.alfer.datasets.ClassTaxonomy#FER7})
 * @param usage FER2013 usage: Training, PublicTest or PrivateTest
 * @param pixels row-major 8-bit gray pixels, {@link SyntheticFer#SIZE} squared
 */
public record Sample(int index, int label, String usage, byte[] pixels) {

  /** Pool for Training, test for PublicTest and PrivateTest, as the FER2013 reader maps them. */
  public Split split() {
    return usage.equals(SyntheticFer.TRAINING) ? Split.SPLIT_POOL : Split.SPLIT_TEST;
  }
}
