/* schema.c - the store's schema as an ordered list of migrations; version N is the state after
 * migrations[0..N-1]. Append only: never edit a released migration, add the next one. */
#include "store_int.h"

static const char *const migrations[] = {
    /* 1: the data model: catalog, areas, indicators, periods, observations */
    "CREATE TABLE source ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  connector TEXT NOT NULL,"
    "  location TEXT NOT NULL,"
    "  licence TEXT,"
    "  attribution TEXT,"
    "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    "  bytes INTEGER NOT NULL,"
    "  rows_read INTEGER NOT NULL DEFAULT 0,"
    "  rows_written INTEGER NOT NULL DEFAULT 0,"
    "  imported_at TEXT NOT NULL,"
    "  tool_version TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),"
    "  options TEXT,"
    "  UNIQUE (name, version));"
    "CREATE TABLE area ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT,"
    "  level TEXT NOT NULL,"
    "  parent_code TEXT,"
    "  geometry TEXT,"
    "  crs_original TEXT,"
    "  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,"
    "  centroid_lon REAL, centroid_lat REAL,"
    "  source_id INTEGER REFERENCES source (id));"
    "CREATE TABLE indicator ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  label TEXT,"
    "  unit TEXT,"
    "  polarity INTEGER NOT NULL DEFAULT 0 CHECK (polarity IN (-1, 0, 1)),"
    "  dimension TEXT,"
    "  source_id INTEGER REFERENCES source (id));"
    "CREATE TABLE period ("
    "  id INTEGER PRIMARY KEY,"
    "  label TEXT NOT NULL UNIQUE,"
    "  freq TEXT NOT NULL CHECK (freq IN ('A', 'S', 'Q', 'M')),"
    "  idx INTEGER NOT NULL,"
    "  UNIQUE (freq, idx));"
    "CREATE TABLE observation ("
    "  indicator_id INTEGER NOT NULL REFERENCES indicator (id),"
    "  area_id INTEGER NOT NULL REFERENCES area (id),"
    "  period_id INTEGER NOT NULL REFERENCES period (id),"
    "  value REAL NOT NULL,"
    "  se REAL,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  source_id INTEGER NOT NULL REFERENCES source (id),"
    "  PRIMARY KEY (indicator_id, area_id, period_id)) WITHOUT ROWID;",

    /* 2: runs (one computation with its spec and method card) and the audit log */
    "CREATE TABLE run ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  spec TEXT NOT NULL,"
    "  method_card TEXT NOT NULL,"
    "  inputs_sha256 TEXT,"
    "  result TEXT,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  who TEXT,"
    "  action TEXT NOT NULL,"
    "  detail TEXT);",

    /* 3: accounts for the server (dashboard branch; renumbered at merge) */
    "CREATE TABLE account ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('public', 'analyst', 'admin')),"
    "  pwhash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT);",

    /* 4: privacy: the audit log hash-chained and append-only (entries written before this
     * version stay unchained, up to audit_chain.legacy_until), the privacy-budget ledger */
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    "CREATE TABLE audit_chain AS SELECT coalesce(max(id), 0) AS legacy_until FROM audit;"
    "CREATE TRIGGER audit_chain_fixed_u BEFORE UPDATE ON audit_chain"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_chain_fixed_d BEFORE DELETE ON audit_chain"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE privacy_dataset ("
    "  name TEXT PRIMARY KEY,"
    "  eps_total_nano INTEGER NOT NULL CHECK (eps_total_nano >= 0),"
    "  delta_total REAL NOT NULL CHECK (delta_total >= 0 AND delta_total < 1),"
    "  min_cell INTEGER NOT NULL CHECK (min_cell >= 1),"
    "  updated_at TEXT NOT NULL,"
    "  updated_by TEXT);"
    "CREATE TABLE privacy_release ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset TEXT NOT NULL REFERENCES privacy_dataset (name),"
    "  eps_nano INTEGER NOT NULL CHECK (eps_nano > 0),"
    "  delta REAL NOT NULL DEFAULT 0 CHECK (delta >= 0),"
    "  mechanism TEXT NOT NULL,"
    "  note TEXT,"
    "  run_id INTEGER REFERENCES run (id),"
    "  at TEXT NOT NULL,"
    "  who TEXT);"
    "CREATE INDEX privacy_release_dataset ON privacy_release (dataset);"
    "CREATE TRIGGER privacy_release_keep BEFORE DELETE ON privacy_release"
    "  BEGIN SELECT RAISE(ABORT, 'the privacy ledger is append-only'); END;"
    "CREATE TRIGGER privacy_release_fixed BEFORE UPDATE OF dataset, eps_nano, delta, mechanism,"
    "  at, who ON privacy_release"
    "  BEGIN SELECT RAISE(ABORT, 'the privacy ledger is append-only'); END;",

    /* 5: disclosure control recorded in the store: an indicator's kind ('count' when its values
     * are numbers of persons or households), and each observation's status (0 published, 1
     * primary, 2 secondary suppression), recomputed by sol_disclosure_refresh after each change */
    "ALTER TABLE indicator ADD COLUMN kind TEXT CHECK (kind IS NULL OR kind IN ('count'));"
    "ALTER TABLE observation ADD COLUMN sdc INTEGER NOT NULL DEFAULT 0"
    "  CHECK (sdc IN (0, 1, 2));",

    /* 6: relations between indicators, so that disclosure control follows a suppressed count
     * into the figures computed from it: a derived indicator (a rate, a share, a mean) names
     * its numerator components and its denominator by code (they may arrive in a later file) */
    "CREATE TABLE indicator_link ("
    "  indicator_id INTEGER NOT NULL REFERENCES indicator (id),"
    "  component TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('numerator', 'denominator')),"
    "  PRIMARY KEY (indicator_id, component, role));"
    "CREATE INDEX indicator_link_component ON indicator_link (component);",

    /* 7: the observations of superseded source versions, kept so that a version replaced by
     * mistake (a truncated file imported with --allow-shrink) can be restored */
    "CREATE TABLE observation_archive ("
    "  source_id INTEGER NOT NULL REFERENCES source (id),"
    "  indicator_id INTEGER NOT NULL REFERENCES indicator (id),"
    "  area_id INTEGER NOT NULL REFERENCES area (id),"
    "  period_id INTEGER NOT NULL REFERENCES period (id),"
    "  value REAL NOT NULL,"
    "  se REAL,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (source_id, indicator_id, area_id, period_id)) WITHOUT ROWID;",

    /* 8: an indicator's label and unit in each language of the interface (English, French,
     * Italian); label and unit stay the publisher's text, the default when a language has none */
    "ALTER TABLE indicator ADD COLUMN label_en TEXT;"
    "ALTER TABLE indicator ADD COLUMN label_fr TEXT;"
    "ALTER TABLE indicator ADD COLUMN label_it TEXT;"
    "ALTER TABLE indicator ADD COLUMN unit_en TEXT;"
    "ALTER TABLE indicator ADD COLUMN unit_fr TEXT;"
    "ALTER TABLE indicator ADD COLUMN unit_it TEXT;",

    /* 9: drafts and publication: a source or a run is public (1) or a draft seen by analysts
     * only (0); the sources and runs of an upgraded store were public, and stay so. A source of
     * the organisation's own records is private by default (own_records 1). Store settings
     * (publish.auto: new sources and runs are published at once) */
    "ALTER TABLE source ADD COLUMN published INTEGER NOT NULL DEFAULT 1"
    "  CHECK (published IN (0, 1));"
    "ALTER TABLE source ADD COLUMN own_records INTEGER NOT NULL DEFAULT 0"
    "  CHECK (own_records IN (0, 1));"
    "ALTER TABLE run ADD COLUMN published INTEGER NOT NULL DEFAULT 1"
    "  CHECK (published IN (0, 1));"
    "CREATE TABLE setting ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);",

    /* 10: connectors, "once only": a source of the catalog fed by a query to a public portal
     * (SDMX REST, CKAN, data.gouv.fr) with its schedule and the validators of the last response
     * (ETag, Last-Modified, SHA-256), and one row per fetch saying what changed */
    "CREATE TABLE connector ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('sdmx', 'ckan', 'datagouv', 'features')),"
    "  provider TEXT NOT NULL,"
    "  query TEXT NOT NULL,"
    "  every_seconds INTEGER CHECK (every_seconds IS NULL OR every_seconds > 0),"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  sha256 TEXT,"
    "  last_checked_at TEXT,"
    "  last_changed_at TEXT,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT);"
    "CREATE TABLE connector_fetch ("
    "  id INTEGER PRIMARY KEY,"
    "  connector_id INTEGER NOT NULL REFERENCES connector (id),"
    "  at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL"
    "    CHECK (outcome IN ('not-modified', 'unchanged', 'new-version', 'failed')),"
    "  http_status INTEGER,"
    "  sha256 TEXT,"
    "  source_id INTEGER REFERENCES source (id),"
    "  added INTEGER NOT NULL DEFAULT 0,"
    "  revised INTEGER NOT NULL DEFAULT 0,"
    "  removed INTEGER NOT NULL DEFAULT 0,"
    "  detail TEXT);"
    "CREATE INDEX connector_fetch_connector ON connector_fetch (connector_id, id);",

    /* 11: outreach and campaigns: an audience is a rule over area indicators (never a list of
     * persons) with the k it was checked against; a campaign declares its objective, evidence,
     * audience, budget and dates (lang: its language; published_at; running_note, review_by and
     * review_date: what the transparency label reads); its ledger is append-only and
     * hash-chained, and each signature covers the chain up to an entry (docs/ledger.md) */
    "CREATE TABLE audience ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  rule TEXT NOT NULL,"
    "  k INTEGER NOT NULL CHECK (k >= 1),"
    "  purpose TEXT,"
    "  result TEXT,"
    "  run_id INTEGER REFERENCES run (id),"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT);"
    "CREATE TABLE campaign ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('event', 'information', 'fundraising')),"
    "  objective TEXT NOT NULL,"
    "  evidence TEXT,"
    "  audience_id INTEGER REFERENCES audience (id),"
    "  budget_cents INTEGER CHECK (budget_cents IS NULL OR budget_cents >= 0),"
    "  currency TEXT,"
    "  starts TEXT,"
    "  ends TEXT,"
    "  achieved TEXT,"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT,"
    "  lang TEXT,"
    "  published_at TEXT,"
    "  running_note TEXT,"
    "  review_by TEXT,"
    "  review_date TEXT);"
    "CREATE TABLE ledger_entry ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign (id),"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),"
    "  body TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  PRIMARY KEY (campaign_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE ledger_signature ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign (id),"
    "  seq INTEGER NOT NULL,"
    "  head_hash TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  PRIMARY KEY (campaign_id, seq)) WITHOUT ROWID;"
    "CREATE TRIGGER ledger_entry_append_only_u BEFORE UPDATE ON ledger_entry"
    "  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: correct with a new entry'); END;"
    "CREATE TRIGGER ledger_entry_append_only_d BEFORE DELETE ON ledger_entry"
    "  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: correct with a new entry'); END;"
    "CREATE TRIGGER ledger_signature_fixed_u BEFORE UPDATE ON ledger_signature"
    "  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
    "CREATE TRIGGER ledger_signature_fixed_d BEFORE DELETE ON ledger_signature"
    "  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;",
    /* 12: what GIS clients read: the latest published value of each indicator in each area, NULL
     * where withheld, with the area's GeoJSON (on PostgreSQL: schema gis, with PostGIS geometry and
     * a view per level of areas) */
    "CREATE VIEW IF NOT EXISTS gis_area_value AS"
    "  SELECT area_code, area_name, level, indicator, label, period, value, withheld, geometry"
    "  FROM (SELECT a.code AS area_code, a.name AS area_name, a.level, i.code AS indicator,"
    "          coalesce(i.label_en, i.label, i.code) AS label, p.label AS period,"
    "          CASE WHEN o.flags & 4 = 0 AND o.sdc = 0 THEN o.value END AS value,"
    "          (o.flags & 4 <> 0 OR o.sdc > 0) AS withheld, a.geometry,"
    "          row_number() OVER (PARTITION BY o.area_id, o.indicator_id"
    "                             ORDER BY p.freq, p.idx DESC) AS latest"
    "        FROM observation o"
    "        JOIN source s ON s.id = o.source_id AND s.published = 1"
    "        JOIN area a ON a.id = o.area_id"
    "        JOIN indicator i ON i.id = o.indicator_id"
    "        JOIN period p ON p.id = o.period_id)"
    "  WHERE latest = 1;",
    /* 13: PostgreSQL only (schema_pg.c: an observation's references checked by triggers, so that
     * its bulk import can skip them as SQLite's does with foreign_keys off); nothing to do here */
    "-- 13",
    /* 14: the withheld cells indexed by themselves. Every import and publication clears the
     * disclosure flags before computing them again (privacy.c); without this index that clear
     * read the whole table, about 0.1 s a million observations, growing with the store. The
     * index holds only the few rows with sdc <> 0. */
    "CREATE INDEX IF NOT EXISTS observation_withheld ON observation (sdc) WHERE sdc <> 0;",
};

int sol__store_latest_version(void)
{
    return (int)(sizeof migrations / sizeof *migrations);
}

const char *sol__store_migration(int to_version)
{
    if (to_version < 1 || to_version > sol__store_latest_version())
        return NULL;
    return migrations[to_version - 1];
}
