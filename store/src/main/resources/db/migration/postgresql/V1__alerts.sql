-- Alerts, one row per flagged record. Times are epoch milliseconds; NULL stands for an unknown
-- number (NaN, or -1 for ports). The JSON columns are TEXT, not JSONB, so that they read back
-- byte for byte as written.
CREATE TABLE alerts (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  detected_at     BIGINT NOT NULL,
  event_time      BIGINT NOT NULL,
  src_ip          TEXT,
  dst_ip          TEXT,
  src_port        INTEGER,
  dst_port        INTEGER,
  protocol        TEXT,
  packet_size     DOUBLE PRECISION,
  duration        DOUBLE PRECISION,
  score           DOUBLE PRECISION,
  threshold       DOUBLE PRECISION,
  anomaly_type    TEXT NOT NULL,
  detector        TEXT NOT NULL,
  threat_level    TEXT NOT NULL,
  mitre_technique TEXT NOT NULL,
  explanation     TEXT NOT NULL,
  fields          TEXT NOT NULL,
  llm_analysis    TEXT
);

CREATE INDEX alerts_event_time ON alerts (event_time);
CREATE INDEX alerts_anomaly_type ON alerts (anomaly_type);
CREATE INDEX alerts_src_ip ON alerts (src_ip);
CREATE INDEX alerts_score ON alerts (score);
