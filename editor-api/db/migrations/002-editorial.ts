/**
 * Editorial state kept beside the card files: the project index that dashboards and access
 * checks read, each card's workflow record and version, the change log behind version
 * conflicts, helpdesk access grants, result drafts and officers' review decisions.
 */
export const editorialMigration = `
CREATE TABLE project_index (
  id TEXT PRIMARY KEY,
  programme TEXT NOT NULL,
  agency TEXT NOT NULL,
  title TEXT NOT NULL,
  end_date TEXT,
  status TEXT,
  path TEXT NOT NULL,
  synced_at TEXT NOT NULL
) STRICT;
CREATE INDEX project_index_agency ON project_index (agency, id);

CREATE TABLE project_workflow (
  project_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'returned', 'approved')),
  version INTEGER NOT NULL DEFAULT 1,
  editors TEXT NOT NULL DEFAULT '[]',
  comment TEXT,
  unlocked_until TEXT,
  submitted_at TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX project_workflow_state ON project_workflow (state, submitted_at);

CREATE TABLE project_changes (
  project_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_id INTEGER,
  change TEXT NOT NULL,
  PRIMARY KEY (project_id, version)
) STRICT;

CREATE TABLE project_grants (
  project_id TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  granted_by INTEGER,
  granted_at TEXT NOT NULL,
  PRIMARY KEY (project_id, account_id)
) STRICT;
CREATE INDEX project_grants_account ON project_grants (account_id);

CREATE TABLE result_drafts (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  type TEXT,
  language TEXT,
  attachment TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
) STRICT;

CREATE TABLE review_decisions (
  id INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  officer_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'return')),
  comment TEXT,
  results TEXT NOT NULL DEFAULT '[]',
  labels TEXT
) STRICT;
CREATE INDEX review_decisions_project ON review_decisions (project_id, id);
`;
