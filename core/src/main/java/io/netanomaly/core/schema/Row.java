package io.netanomaly.core.schema;

/**
 * One parsed record of a table with a {@link Schema}. For column {@code i}, {@link #number(int)}
 * holds the numeric value (NUMERIC, PORT; TIMESTAMP as epoch milliseconds; NaN when missing or not
 * numeric) and {@link #text(int)} the text value (CATEGORICAL, ADDRESS, IGNORED; also the raw text
 * of PORT and TIMESTAMP columns; null when missing). Labels are kept apart from features.
 *
 * <p>Rows are immutable once built; the arrays are owned by the row and never exposed.
 */
public final class Row {
  /** Label value meaning "not labelled". */
  public static final int UNLABELLED = -1;

  private final double[] numbers;
  private final String[] texts;
  private final int label;
  private final String anomalyType;
  private final long line;

  /**
   * @param numbers numeric value per column (takes ownership)
   * @param texts text value per column (takes ownership)
   * @param label 1 anomalous, 0 normal, {@link #UNLABELLED}
   * @param anomalyType the anomaly type or attack category, null when none or unknown
   * @param line the 1-based source line, or 0 when not from a file
   */
  public Row(double[] numbers, String[] texts, int label, String anomalyType, long line) {
    if (numbers.length != texts.length) {
      throw new IllegalArgumentException("numbers and texts differ in length");
    }
    if (label < -1 || label > 1) {
      throw new IllegalArgumentException("label must be -1, 0 or 1: " + label);
    }
    this.numbers = numbers;
    this.texts = texts;
    this.label = label;
    this.anomalyType = anomalyType;
    this.line = line;
  }

  public int size() {
    return numbers.length;
  }

  public double number(int column) {
    return numbers[column];
  }

  public String text(int column) {
    return texts[column];
  }

  /** 1 anomalous, 0 normal, {@link #UNLABELLED} (-1). */
  public int label() {
    return label;
  }

  public boolean isLabelled() {
    return label != UNLABELLED;
  }

  /** The anomaly type (flows) or attack category (NSL-KDD); "normal" or null for normal rows. */
  public String anomalyType() {
    return anomalyType;
  }

  /** 1-based line of the source file, 0 if the row did not come from a file. */
  public long line() {
    return line;
  }

  /** A copy with another label and type, for relabelling. */
  public Row withLabel(int newLabel, String newType) {
    return new Row(numbers, texts, newLabel, newType, line);
  }
}
