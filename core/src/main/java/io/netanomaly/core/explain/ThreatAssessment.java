package io.netanomaly.core.explain;

import java.util.Objects;

/**
 * What an alert means for a defender: severity, the attack it most likely is, its impact, what to
 * do, and the MITRE ATT&amp;CK technique. Deterministic, from fixed tables. Immutable.
 */
public final class ThreatAssessment {
  /** Severity, lowest first. */
  public enum Level { LOW, MEDIUM, HIGH, CRITICAL }

  private final Level level;
  private final String attackType;
  private final String impact;
  private final String recommendedAction;
  private final String mitreTechniqueId;
  private final String mitreTechniqueName;

  public ThreatAssessment(Level level, String attackType, String impact, String recommendedAction,
      String mitreTechniqueId, String mitreTechniqueName) {
    this.level = Objects.requireNonNull(level, "level");
    this.attackType = Objects.requireNonNull(attackType, "attackType");
    this.impact = Objects.requireNonNull(impact, "impact");
    this.recommendedAction = Objects.requireNonNull(recommendedAction, "recommendedAction");
    this.mitreTechniqueId = Objects.requireNonNull(mitreTechniqueId, "mitreTechniqueId");
    this.mitreTechniqueName = Objects.requireNonNull(mitreTechniqueName, "mitreTechniqueName");
  }

  public Level level() { return level; }
  /** Human-readable attack type ("Port scan"). */
  public String attackType() { return attackType; }
  public String impact() { return impact; }
  public String recommendedAction() { return recommendedAction; }
  /** ATT&amp;CK technique id, e.g. "T1046". */
  public String mitreTechniqueId() { return mitreTechniqueId; }
  public String mitreTechniqueName() { return mitreTechniqueName; }

  @Override
  public String toString() {
    return level + " " + attackType + " (" + mitreTechniqueId + " " + mitreTechniqueName + ")";
  }
}
