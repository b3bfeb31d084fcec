package io.netanomaly.core.supervised;

import java.util.Locale;

/**
 * Which part of a model raised a row's alert: the supervised classifier, the unsupervised
 * detector, both, or neither (the row is normal). A plain detector model only ever says
 * {@link #DETECTOR} or {@link #NONE}; a supervised model without a detector {@link #SUPERVISED} or
 * {@link #NONE}.
 */
public enum FiredBy {
  NONE, SUPERVISED, DETECTOR, BOTH;

  /** "none", "supervised", "detector" or "both", as written in outputs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True unless {@link #NONE}. */
  public boolean isAlert() {
    return this != NONE;
  }

  /** True for {@link #SUPERVISED} and {@link #BOTH}. */
  public boolean classifierFired() {
    return this == SUPERVISED || this == BOTH;
  }

  /** True for {@link #DETECTOR} and {@link #BOTH}. */
  public boolean detectorFired() {
    return this == DETECTOR || this == BOTH;
  }

  /** The value for whether the classifier and the detector fired. */
  public static FiredBy of(boolean classifier, boolean detector) {
    return classifier ? (detector ? BOTH : SUPERVISED) : (detector ? DETECTOR : NONE);
  }
}
