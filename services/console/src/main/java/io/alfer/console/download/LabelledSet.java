package io.alfer.console.download;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A campaign's labelled set as an archive in the image-folder layout that ingest imports ({@code
 * <campaign>/train/<class>/<image id>.png}), with the labels' CSV beside it.
 */
public final class LabelledSet {
  /** One labelled image of the export. */
  public record Row(String dataset, String imageId, String className) {}

  private LabelledSet() {}

  /**
   * The rows of label's CSV export ({@code campaign_id,round,dataset,image_id,label,label_name,…},
   * RFC 4180).
   */
  public static List<Row> rows(String csv) {
    List<Row> rows = new ArrayList<>();
    List<List<String>> records = Csv.parse(csv);
    if (records.isEmpty()) {
      return rows;
    }
    List<String> header = records.get(0);
    int dataset = header.indexOf("dataset");
    int image = header.indexOf("image_id");
    int name = header.indexOf("label_name");
    if (dataset < 0 || image < 0 || name < 0) {
      throw new IllegalArgumentException("not label's CSV export: header " + header);
    }
    for (List<String> r : records.subList(1, records.size())) {
      if (r.size() > Math.max(dataset, Math.max(image, name))) {
        rows.add(new Row(r.get(dataset), r.get(image), r.get(name)));
      }
    }
    return rows;
  }

  /**
   * Writes the archive: the CSV as {@code <campaign>/labels.csv}, then every row's PNG.
   *
   * @param png the canonical PNG of a row
   */
  public static void write(
      String campaign, String csv, List<Row> rows, Function<Row, byte[]> png, OutputStream out)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.putNextEntry(new ZipEntry(campaign + "/labels.csv"));
    zip.write(csv.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    for (Row row : rows) {
      zip.putNextEntry(
          new ZipEntry(
              campaign + "/train/" + folder(row.className()) + "/" + row.imageId() + ".png"));
      zip.write(png.apply(row));
      zip.closeEntry();
    }
    zip.finish();
    zip.flush();
  }

  /** A class name as a folder name: nothing that could leave the folder or confuse an unzipper. */
  static String folder(String className) {
    String f = className.strip().replaceAll("[^A-Za-z0-9._ -]", "_");
    return f.isEmpty() || f.equals(".") || f.equals("..") ? "_" + f : f;
  }
}
