package io.alfer.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixTest {

  @Test
  void bytesAreHeaderThenLittleEndianRows() {
    Matrix m = new Matrix(2, 3, new float[] {1, 2, 3, 4, 5, -6.5f});
    byte[] bytes = m.toBytes();
    assertThat(bytes).hasSize(16 + 6 * 4);
    assertThat(Arrays.copyOf(bytes, 4)).isEqualTo("ALFM".getBytes());
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(4)).isEqualTo(1);
    assertThat(b.getInt(8)).isEqualTo(2);
    assertThat(b.getInt(12)).isEqualTo(3);
    assertThat(b.getFloat(16 + 5 * 4)).isEqualTo(-6.5f);

    Matrix back = Matrix.fromBytes(bytes);
    assertThat(back.rows()).isEqualTo(2);
    assertThat(back.cols()).isEqualTo(3);
    assertThat(back.values()).containsExactly(1, 2, 3, 4, 5, -6.5f);
    assertThat(back.row(1)).containsExactly(4, 5, -6.5f);
  }

  @Test
  void emptyMatricesRoundTrip() {
    Matrix back = Matrix.fromBytes(new Matrix(0, 64, new float[0]).toBytes());
    assertThat(back.rows()).isZero();
    assertThat(back.cols()).isEqualTo(64);
  }

  @Test
  void damagedBytesAreRefused() {
    byte[] good = new Matrix(2, 2, new float[] {1, 2, 3, 4}).toBytes();
    assertThatThrownBy(() -> Matrix.fromBytes(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header says 2x2");
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertThatThrownBy(() -> Matrix.fromBytes(badMagic)).hasMessageContaining("bad magic");
    byte[] badVersion = good.clone();
    badVersion[4] = 9;
    assertThatThrownBy(() -> Matrix.fromBytes(badVersion)).hasMessageContaining("version 9");
    assertThatThrownBy(() -> Matrix.fromBytes(new byte[3])).hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> new Matrix(2, 2, new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idListsAreOneIdPerLine() {
    byte[] bytes = IdList.toBytes(List.of("a1", "b2"));
    assertThat(new String(bytes)).isEqualTo("a1\nb2\n");
    assertThat(IdList.fromBytes(bytes)).containsExactly("a1", "b2");
    assertThat(IdList.fromBytes(new byte[0])).isEmpty();
  }
}
