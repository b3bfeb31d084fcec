package io.netanomaly.cli;

import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.io.DataFormat;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that read a data file. */
final class DataOptions {
  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "Input file: flows (.csv/.jsonl), a generic CSV, NSL-KDD or UNSW-NB15; '-' reads standard input.")
  Path data;

  @Option(names = "--format", paramLabel = "F", defaultValue = "auto",
      description = "auto, flow, csv, nsl-kdd or unsw-nb15 (default: ${DEFAULT-VALUE}: flows by header or JSON keys).")
  String format;

  @Option(names = "--label-column", paramLabel = "C",
      description = "For --format csv: the column holding the label (0/1, true/false, or normal/benign vs. an attack name).")
  String labelColumn;

  @Option(names = "--type-column", paramLabel = "C", description = "For --format csv: the column holding the anomaly type.")
  String typeColumn;

  @Option(names = "--schema", paramLabel = "FILE",
      description = "For --format csv: a JSON schema overriding the inferred one (see README).")
  Path schemaFile;

  @Option(names = "--skip-invalid",
      description = "Skip rows that fail to parse; report how many and the first few at the end (default: stop at the first).")
  boolean skipInvalid;

  @Option(names = "--split", paramLabel = "SHARE",
      description = "Use a random split: train keeps this share of rows, evaluate/detect keep the rest (e.g. 0.7).")
  Double split;

  @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0", description = "Seed of the --split (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  /** Options for reading {@code file} with every default (for commands that call others). */
  static DataOptions of(Path file) {
    DataOptions o = new DataOptions();
    o.data = file;
    o.format = "auto";
    return o;
  }

  DataFormat parsedFormat() {
    try {
      return DataFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format: " + e.getMessage());
    }
  }

  HoldoutSplit holdout() {
    if (split == null) {
      return null;
    }
    try {
      return new HoldoutSplit(split, splitSeed);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--split: " + e.getMessage());
    }
  }

  ReadOptions readOptions() {
    ReadOptions.Builder b = ReadOptions.builder().format(parsedFormat()).skipInvalid(skipInvalid);
    if (labelColumn != null) {
      b.labelColumn(labelColumn);
    }
    if (typeColumn != null) {
      b.typeColumn(typeColumn);
    }
    if (schemaFile != null) {
      b.schemaFile(schemaFile);
    }
    return b.build();
  }

  /** Opens the data file (or standard input for "-"). */
  RowSource open() throws IOException {
    ReadOptions o = readOptions();
    if (data.toString().equals("-")) {
      DataFormat f = o.format() == DataFormat.AUTO ? DataFormat.FLOW : o.format();
      return Readers.open(System.in, "<stdin>", f, o);
    }
    return Readers.open(data, o);
  }

  /** The data source as shown to users and recorded in models. */
  String displayName() {
    return data.toString().equals("-") ? "<stdin>" : data.getFileName().toString();
  }

  /** Prints the skipped-row summary of {@code --skip-invalid}. */
  static void reportSkipped(RowSource source, PrintWriter err) {
    if (source.skippedCount() == 0) {
      return;
    }
    err.printf("skipped %,d invalid row(s); first %d:%n", source.skippedCount(), source.firstErrors().size());
    for (InputException e : source.firstErrors()) {
      err.println("  " + e.getMessage());
    }
  }
}
