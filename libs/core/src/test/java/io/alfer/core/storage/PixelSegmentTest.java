package io.alfer.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PixelSegmentTest {

  @Test
  void roundTripsAndGivesEachRow() {
    byte[] pixels = new byte[3 * 4 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    byte[] bytes = new PixelSegment(3, 4, 2, pixels).toBytes();
    assertThat(bytes).hasSize(PixelSegment.HEADER_BYTES + 24);
    assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(PixelSegment.MAGIC);
    PixelSegment back = PixelSegment.fromBytes(bytes);
    assertThat(back.rows()).isEqualTo(3);
    assertThat(back.width()).isEqualTo(4);
    assertThat(back.height()).isEqualTo(2);
    assertThat(back.row(1)).isEqualTo(Arrays.copyOfRange(pixels, 8, 16));
    assertThatThrownBy(() -> back.row(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void refusesBytesThatAreNotAWholeSegment() {
    byte[] good = new PixelSegment(2, 2, 2, new byte[8]).toBytes();
    assertThatThrownBy(() -> PixelSegment.fromBytes(Arrays.copyOf(good, good.length - 1)))
        .hasMessageContaining("header says 2 images of 2x2 (28 bytes) but the object has 27");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> PixelSegment.fromBytes(magic)).hasMessageContaining("bad magic");
    assertThatThrownBy(() -> PixelSegment.fromBytes(new byte[3])).hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> new PixelSegment(2, 2, 2, new byte[7]))
        .hasMessageContaining("cannot be 7 bytes");
  }
}
