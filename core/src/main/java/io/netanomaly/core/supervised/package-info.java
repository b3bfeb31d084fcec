/**
 * Supervised classifiers for labelled traffic and {@link io.netanomaly.core.supervised.SupervisedDetector},
 * which scores with one through the detection pipeline — alone, or as the hybrid paired with an
 * unsupervised detector, saying per row which part fired ({@link io.netanomaly.core.supervised.FiredBy}).
 * The pipeline ({@code train --supervised ... --hybrid}) builds and saves it with the model;
 * {@code DetectionPipeline.Session.lastFiredBy} reads the verdicts back.
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
 * double t = Threshold.parse("0.02").fit(forest.score(normal)).value();
 * SupervisedDetector hybrid = new SupervisedDetector(rf, forest, t);
 * SupervisedDetector.Verdicts v = hybrid.newVerdicts();   // reused batch to batch
 * double[] scores = new double[n];
 * hybrid.score(features.transform(newRows), scores, SupervisedDetector.THRESHOLD, v);
 * for (int r = 0; r < v.rows(); r++) {
 *   if (v.firedBy(r).isAlert()) {
 *     System.out.println(v.firedBy(r).label() + " " + v.predictedClass(r));   // e.g. "detector normal"
 *   }
 * }
 * }</pre>
 */
package io.netanomaly.core.supervised;
