import GRDB

/// The casework database schema, as GRDB migrations (append new migrations; never edit one that
/// has shipped). Times are ISO 8601 UTC text with whole seconds (``CaseworkTime``); lists are JSON
/// arrays of strings; a finding's result is the canonical JSON bytes as a BLOB.
///
/// | table | rows |
/// |---|---|
/// | `hotline_case` | one per case; `reference` unique; `sites` JSON |
/// | `partner_request` | one per request; `subjects` JSON |
/// | `response` | one per response; `state` is a ``ResponseState`` raw value |
/// | `finding` | one per finding; `parameters` JSON object, `result` BLOB |
/// | `response_state_change` | every state change: who, when, from, to, reason |
/// | `response_contributor` | everyone who added a finding or set the conclusion (may not approve) |
/// | `audit_log` | append-only (triggers abort UPDATE and DELETE); hash-chained |
/// | `audit_head` | one row: entry count and last hash, updated with every append |
enum CaseworkSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-casework") { db in
            try db.execute(
                sql: """
                    CREATE TABLE hotline_case(
                        id INTEGER PRIMARY KEY,
                        reference TEXT NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                        analyst TEXT NOT NULL,
                        opened TEXT NOT NULL,
                        closed TEXT,
                        notes TEXT NOT NULL DEFAULT '',
                        sites TEXT NOT NULL DEFAULT '[]');
                    CREATE TABLE partner_request(
                        id INTEGER PRIMARY KEY,
                        case_id INTEGER NOT NULL REFERENCES hotline_case(id),
                        organisation TEXT NOT NULL,
                        partner_reference TEXT,
                        received TEXT NOT NULL,
                        due TEXT,
                        question TEXT NOT NULL,
                        subjects TEXT NOT NULL);
                    CREATE INDEX partner_request_case ON partner_request(case_id);
                    CREATE TABLE response(
                        id INTEGER PRIMARY KEY,
                        request_id INTEGER NOT NULL REFERENCES partner_request(id),
                        state TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'approved', 'sent')),
                        conclusion TEXT NOT NULL DEFAULT '',
                        author TEXT NOT NULL,
                        reviewer TEXT,
                        created TEXT NOT NULL,
                        submitted TEXT,
                        approved TEXT,
                        sent TEXT);
                    CREATE INDEX response_request ON response(request_id);
                    CREATE TABLE finding(
                        id INTEGER PRIMARY KEY,
                        response_id INTEGER NOT NULL REFERENCES response(id),
                        kind TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        question TEXT NOT NULL,
                        command TEXT NOT NULL,
                        parameters TEXT NOT NULL,
                        result BLOB NOT NULL,
                        tip_height INTEGER,
                        tip_hash TEXT,
                        layer TEXT NOT NULL,
                        cluster_parameters TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        created TEXT NOT NULL);
                    CREATE INDEX finding_response ON finding(response_id);
                    CREATE TABLE response_state_change(
                        id INTEGER PRIMARY KEY,
                        response_id INTEGER NOT NULL REFERENCES response(id),
                        from_state TEXT,
                        to_state TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        time TEXT NOT NULL,
                        reason TEXT);
                    CREATE INDEX response_state_change_response ON response_state_change(response_id);
                    CREATE TABLE response_contributor(
                        response_id INTEGER NOT NULL REFERENCES response(id),
                        person TEXT NOT NULL,
                        PRIMARY KEY (response_id, person)) WITHOUT ROWID;
                    CREATE TABLE audit_log(
                        sequence INTEGER PRIMARY KEY,
                        time TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        entity TEXT NOT NULL,
                        details TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL);
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TABLE audit_head(
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        count INTEGER NOT NULL,
                        last_hash TEXT NOT NULL);
                    INSERT INTO audit_head(id, count, last_hash) VALUES (1, 0, '\(AuditHash.genesis)');
                    """)
        }
        return migrator
    }

    /// The triggers that make `audit_log` append-only (``AuditVerifier`` reports any missing).
    static let auditTriggers = ["audit_log_no_update", "audit_log_no_delete"]
}
