/**
 * Pictures of what the detectors found: the evaluation report ({@link io.netanomaly.report.EvaluationReport})
 * and the incident dashboard ({@link io.netanomaly.report.IncidentDashboard}), drawn with XChart into PNG
 * files next to a self-contained HTML page (no scripts, no network). Rendering is headless: the
 * first use of this package sets {@code java.awt.headless=true} unless the JVM was told otherwise.
 */
package io.netanomaly.report;
