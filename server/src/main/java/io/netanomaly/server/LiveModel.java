package io.netanomaly.server;

import io.netanomaly.core.explain.Explainer;
import io.netanomaly.core.io.RecordParser;
import io.netanomaly.core.pipeline.DetectionPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model the server scores with, swappable at run time: {@link #reload} loads and verifies the
 * new file first, then swaps atomically; requests in flight keep the {@link Loaded} they started
 * with and finish on the old model.
 *
 * <p>Thread-safe.
 */
public final class LiveModel {
  private final AtomicReference<Loaded> current;

  public LiveModel(DetectionPipeline model, Path file, String origin) {
    this.current = new AtomicReference<>(new Loaded(model, file, origin));
  }

  public Loaded current() {
    return current.get();
  }

  /**
   * Loads {@code file} (or the current model's file when null) and makes it current.
   *
   * @throws IOException when the file cannot be loaded; the current model stays
   */
  public Loaded reload(Path file) throws IOException {
    Path target = file != null ? file : current.get().file();
    if (target == null) {
      throw new IllegalStateException("the running model was not loaded from a file; name one to reload");
    }
    Loaded next = new Loaded(DetectionPipeline.load(target), target, "file " + target);
    current.set(next);
    return next;
  }

  /**
   * One loaded model with what scoring needs. The window state is shared by all requests, so
   * per-source windows see the whole request stream; scoring holds its lock.
   */
  public static final class Loaded {
    private final DetectionPipeline model;
    private final Path file;
    private final String origin;
    private final DetectionPipeline.Session session;
    private final Explainer explainer;
    private final RecordParser parser;
    private final long loadedAtMillis = System.currentTimeMillis();

    Loaded(DetectionPipeline model, Path file, String origin) {
      this.model = model;
      this.file = file;
      this.origin = origin;
      this.session = model.newSession();
      this.explainer = model.explainer();
      this.parser = new RecordParser(model.schema());
    }

    public DetectionPipeline model() { return model; }
    /** The model file, or null for a model trained at start-up. */
    public Path file() { return file; }
    /** Where the model came from, for /model ("file model.nam", "trained at start-up on ..."). */
    public String origin() { return origin; }
    public long loadedAtMillis() { return loadedAtMillis; }
    public Explainer explainer() { return explainer; }
    public RecordParser parser() { return parser; }

    /** The shared session; callers synchronise on it. */
    DetectionPipeline.Session session() { return session; }
  }
}
