package io.alfer.datasets.synthetic;

import io.alfer.datasets.ClassTaxonomy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a preview of {@link SyntheticFer}: one row per expression (FER7 order), the first {@code
 * perClass} samples of each class, upscaled. Usage: {@code PreviewGrid out.png [seed [perClass
 * [scale]]]}.
 */
public final class PreviewGrid {

  private PreviewGrid() {}

  /** Writes the preview PNG named by the first argument. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: PreviewGrid out.png [seed [perClass [scale]]]");
      System.exit(2);
    }
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    int perClass = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int scale = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Path out = Path.of(args[0]);
    ImageIO.write(render(new SyntheticFer(seed), perClass, scale), "png", out.toFile());
    System.out.println("wrote " + out.toAbsolutePath() + " (" + Files.size(out) + " bytes)");
  }

  /** A grid of 7 rows × {@code perClass} columns, each face {@code scale} times enlarged. */
  public static BufferedImage render(SyntheticFer generator, int perClass, int scale) {
    int classes = ClassTaxonomy.FER7.size();
    List<List<Sample>> rows = new ArrayList<>();
    for (int label = 0; label < classes; label++) {
      rows.add(new ArrayList<>());
    }
    int filled = 0;
    for (int i = 0; filled < classes * perClass; i++) {
      Sample sample = generator.sample(i);
      List<Sample> row = rows.get(sample.label());
      if (row.size() < perClass) {
        row.add(sample);
        filled++;
      }
    }
    int cell = SyntheticFer.SIZE * scale + 2;
    BufferedImage grid =
        new BufferedImage(cell * perClass, cell * classes, BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < classes; r++) {
      for (int c = 0; c < perClass; c++) {
        byte[] pixels = rows.get(r).get(c).pixels();
        for (int y = 0; y < SyntheticFer.SIZE * scale; y++) {
          for (int x = 0; x < SyntheticFer.SIZE * scale; x++) {
            int v = pixels[(y / scale) * SyntheticFer.SIZE + x / scale] & 0xff;
            grid.getRaster().setSample(c * cell + x, r * cell + y, 0, v);
          }
        }
      }
    }
    return grid;
  }
}
