/**
 * Ensembles of fitted detectors: each member's score is turned into its rank among the member's
 * own training scores, then the ranks are combined by mean, max or vote. Entry point:
 * {@link io.netanomaly.core.detect.ensemble.Ensemble}.
 */
package io.netanomaly.core.detect.ensemble;
