package io.alfer.label.export;

import io.alfer.proto.v1.LabelAssigned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Accepted labels of a campaign as CSV and as a Label Studio JSON export. */
public final class LabelExport {
  /** The CSV header line. */
  public static final String CSV_HEADER =
      "campaign_id,round,dataset,image_id,label,label_name,agreement,annotations,method";

  private LabelExport() {}

  /** RFC 4180 CSV with a header line; one row per label. */
  public static String csv(List<LabelAssigned> labels) {
    StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
    for (LabelAssigned l : labels) {
      out.append(field(l.getCampaignId()))
          .append(',')
          .append(l.getRound())
          .append(',')
          .append(field(l.getDataset()))
          .append(',')
          .append(field(l.getImageId()))
          .append(',')
          .append(l.getLabel())
          .append(',')
          .append(field(l.getLabelName()))
          .append(',')
          .append(String.format(java.util.Locale.ROOT, "%.4f", l.getAgreement()))
          .append(',')
          .append(l.getAnnotations())
          .append(',')
          .append(field(l.getMethod()))
          .append("\r\n");
    }
    return out.toString();
  }

  /**
   * Label Studio's JSON export: one task per image ({@code data.image} a URL to the image), with
   * one completed {@code choices} annotation holding the reconciled label ({@code from_name}
   * "expression", {@code to_name} "image") and alfer's agreement in {@code meta}.
   */
  public static List<Map<String, Object>> labelStudio(
      List<LabelAssigned> labels, Function<LabelAssigned, String> imageUrl) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    int id = 1;
    for (LabelAssigned l : labels) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("image", imageUrl.apply(l));
      data.put("image_id", l.getImageId());
      data.put("dataset", l.getDataset());
      data.put("campaign_id", l.getCampaignId());
      data.put("round", l.getRound());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put(
          "id", l.getImageId().length() > 10 ? l.getImageId().substring(0, 10) : l.getImageId());
      result.put("from_name", "expression");
      result.put("to_name", "image");
      result.put("type", "choices");
      result.put("value", Map.of("choices", List.of(l.getLabelName())));
      Map<String, Object> annotation = new LinkedHashMap<>();
      annotation.put("id", id);
      annotation.put("result", List.of(result));
      annotation.put("was_cancelled", false);
      annotation.put("ground_truth", false);
      annotation.put("task", id);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("agreement", l.getAgreement());
      meta.put("annotations", l.getAnnotations());
      meta.put("method", l.getMethod());
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("id", id);
      task.put("data", data);
      task.put("annotations", List.of(annotation));
      task.put("meta", meta);
      tasks.add(task);
      id++;
    }
    return tasks;
  }

  private static String field(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
