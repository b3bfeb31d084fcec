package io.netanomaly.core.supervised;

import io.netanomaly.core.schema.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a supervised model learns to predict from labelled rows: {@link #BINARY} normal vs attack
 * from {@link Row#label()}, or {@link #CATEGORY} the attack category from {@link Row#anomalyType()}
 * (for NSL-KDD: dos, probe, r2l, u2r) with "normal" for normal rows. Class id 0 is always
 * "normal".
 */
public enum Target {
  /** Classes "normal" and "attack". */
  BINARY,
  /** Classes "normal" followed by the attack categories seen in training, sorted. */
  CATEGORY;

  /** Name of the normal class, id 0 under both targets. */
  public static final String NORMAL = "normal";
  /** Name of the attack class of {@link #BINARY}, and of an attack row without a category. */
  public static final String ATTACK = "attack";

  /**
   * Parses {@code binary} or {@code category}.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Target parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "binary" -> BINARY;
      case "category" -> CATEGORY;
      default -> throw new IllegalArgumentException("target: got '" + text + "', expected 'binary' or 'category'");
    };
  }

  /**
   * The class of a labelled row under this target.
   *
   * @throws IllegalArgumentException if the row is unlabelled
   */
  public String classOf(Row row) {
    if (!row.isLabelled()) {
      throw new IllegalArgumentException("row at line " + row.line() + " has no label; supervised training needs labels");
    }
    if (row.label() == 0) {
      return NORMAL;
    }
    if (this == BINARY) {
      return ATTACK;
    }
    String type = row.anomalyType();
    if (type == null || type.isBlank() || type.equalsIgnoreCase(NORMAL)) {
      return ATTACK;
    }
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** The classes of {@code rows}: "normal" first, then the others sorted (for BINARY always normal, attack). */
  public List<String> classesOf(List<Row> rows) {
    if (this == BINARY) {
      return List.of(NORMAL, ATTACK);
    }
    TreeSet<String> attacks = new TreeSet<>();
    for (Row r : rows) {
      String c = classOf(r);
      if (!c.equals(NORMAL)) {
        attacks.add(c);
      }
    }
    List<String> out = new ArrayList<>();
    out.add(NORMAL);
    out.addAll(attacks);
    return List.copyOf(out);
  }

  /**
   * The class id of every row among {@code classes}.
   *
   * @throws IllegalArgumentException for an unlabelled row or a class not in {@code classes}
   */
  public int[] labels(List<Row> rows, List<String> classes) {
    Map<String, Integer> id = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      id.put(classes.get(i), i);
    }
    int[] y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) {
      String c = classOf(rows.get(i));
      Integer v = id.get(c);
      if (v == null) {
        throw new IllegalArgumentException("row at line " + rows.get(i).line() + " has class '" + c
            + "', expected one of " + classes);
      }
      y[i] = v;
    }
    return y;
  }
}
