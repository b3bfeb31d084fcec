/**
 * Supervised classifiers for labelled traffic and the hybrid verdict that pairs one with an
 * unsupervised detector.
 *
 * <p>Three in-house families behind {@link io.netanomaly.core.supervised.Classifier}, chosen by
 * name through {@link io.netanomaly.core.supervised.Classifiers#train}: {@code rf}
 * ({@link io.netanomaly.core.supervised.RandomForest}), {@code gbm}
 * ({@link io.netanomaly.core.supervised.GradientBoosting}) and {@code logreg}
 * ({@link io.netanomaly.core.supervised.LogisticRegression}). All are deterministic for a seed and
 * persist as flat arrays in a {@link io.netanomaly.core.model.ModelArchive} (manifest object
 * {@code classifiers.<prefix>}), read back by a fixed switch on the family name. The target is
 * {@link io.netanomaly.core.supervised.Target#BINARY} (normal / attack) or
 * {@link io.netanomaly.core.supervised.Target#CATEGORY} (normal plus attack categories, for
 * NSL-KDD dos, probe, r2l, u2r).
 *
 * <pre>{@code
 * FeaturePipeline features = FeaturePipeline.fit(schema, trainRows,
 *     FeaturePipeline.FitOptions.defaults().withOneHot(32));
 * Matrix x = features.transform(trainRows);
 * List<String> classes = Target.CATEGORY.classesOf(trainRows);
 * Classifier rf = Classifiers.train("rf", x, Target.CATEGORY.labels(trainRows, classes), classes,
 *     ClassifierOptions.defaults().withSeed(7));
 *
 * // hybrid: plus a detector fitted on the normal training rows only
 * Matrix normal = features.transform(normalTrainRows);
 * IsolationForest forest = IsolationForest.builder().seed(7).fit(normal);
 * HybridVerdict hybrid = HybridVerdict.of(rf, forest, Threshold.parse("0.02").fit(forest.score(normal)));
 * HybridVerdict.Verdicts v = hybrid.judge(features.transform(newRows));
 * for (int r = 0; r < v.rows(); r++) {
 *   if (v.isAlert(r)) {
 *     System.out.println(v.source(r).label() + " " + v.predictedName(r));   // e.g. "unsupervised normal"
 *   }
 * }
 *
 * // persist and reload
 * ModelArchive.Builder b = ModelArchive.builder();
 * hybrid.writeTo(b, "hybrid");
 * b.build().write(path);
 * HybridVerdict back = HybridVerdict.readFrom(ModelArchive.read(path), "hybrid", IsolationForest::readFrom);
 * }</pre>
 */
package io.netanomaly.core.supervised;
