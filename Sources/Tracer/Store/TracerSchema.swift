import GRDB

/// The Tracer's tables. They live in the index file next to the chain tables (clusters are
/// derived from the chain; tags are re-importable from their watchlist files), are created on
/// first use with `CREATE ... IF NOT EXISTS`, and never touch the chain tables.
///
/// Clusters and links are kept per layer: `0` = strict (co-spend and same key), `1` = extended
/// (strict plus change). See `docs/heuristics.md`.
public enum TracerSchema {
    /// Drops the clustering tables' secondary indexes before a full run rewrites them;
    /// ``ensure(_:)`` rebuilds them.
    static func dropBulkIndexes(_ db: Database) throws {
        for name in ["cluster_address_cluster", "cluster_link_a", "cluster_link_b", "cluster_info_merged"] {
            try db.execute(sql: "DROP INDEX IF EXISTS \(name)")
        }
    }

    /// Creates every Tracer table and index that does not exist yet.
    public static func ensure(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS tag(
                id INTEGER PRIMARY KEY,
                address TEXT,
                address_key BLOB,
                cluster INTEGER,
                label TEXT NOT NULL,
                category TEXT NOT NULL,
                source TEXT NOT NULL,
                confidence INTEGER NOT NULL,
                context_url TEXT,
                case_ref TEXT,
                author TEXT,
                created TEXT NOT NULL,
                private INTEGER NOT NULL DEFAULT 0,
                import_batch INTEGER,
                CHECK ((address_key IS NULL) <> (cluster IS NULL)));
            CREATE INDEX IF NOT EXISTS tag_address ON tag(address_key) WHERE address_key IS NOT NULL;
            CREATE INDEX IF NOT EXISTS tag_cluster ON tag(cluster) WHERE cluster IS NOT NULL;
            CREATE TABLE IF NOT EXISTS tag_import(
                id INTEGER PRIMARY KEY,
                created TEXT NOT NULL,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                format TEXT NOT NULL,
                rows INTEGER NOT NULL,
                skipped_duplicates INTEGER NOT NULL,
                author TEXT);

            CREATE TABLE IF NOT EXISTS coinjoin(
                tx INTEGER PRIMARY KEY,
                detector TEXT NOT NULL,
                confidence REAL NOT NULL,
                multi_party INTEGER NOT NULL,
                reason TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS cluster_progress(
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last_tx INTEGER NOT NULL,
                last_txid BLOB,
                address_done INTEGER NOT NULL,
                address_paid INTEGER NOT NULL,
                parameters TEXT NOT NULL,
                updated TEXT NOT NULL,
                blocks_removed INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS same_key_wrap(
                hash INTEGER NOT NULL,
                address INTEGER NOT NULL,
                PRIMARY KEY(hash, address)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS same_key_owner ON same_key(owner);
            CREATE TABLE IF NOT EXISTS cluster_address(
                layer INTEGER NOT NULL,
                address INTEGER NOT NULL,
                cluster INTEGER NOT NULL,
                PRIMARY KEY(layer, address)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS cluster_address_cluster ON cluster_address(layer, cluster);
            CREATE TABLE IF NOT EXISTS cluster_info(
                layer INTEGER NOT NULL,
                id INTEGER NOT NULL,
                size INTEGER NOT NULL,
                merged_into INTEGER,
                PRIMARY KEY(layer, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS cluster_info_merged ON cluster_info(layer, merged_into) WHERE merged_into IS NOT NULL;
            CREATE TABLE IF NOT EXISTS cluster_link(
                id INTEGER PRIMARY KEY,
                layer INTEGER NOT NULL,
                a INTEGER NOT NULL,
                b INTEGER NOT NULL,
                tx INTEGER,
                rule TEXT NOT NULL,
                detail TEXT,
                run INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS cluster_link_a ON cluster_link(a);
            CREATE INDEX IF NOT EXISTS cluster_link_b ON cluster_link(b);
            CREATE TABLE IF NOT EXISTS cluster_merge(
                id INTEGER PRIMARY KEY,
                layer INTEGER NOT NULL,
                absorbed INTEGER NOT NULL,
                into_cluster INTEGER NOT NULL,
                absorbed_size INTEGER NOT NULL,
                into_size INTEGER NOT NULL,
                tx INTEGER,
                rule TEXT NOT NULL,
                suspicious INTEGER NOT NULL,
                run INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS cluster_pending(tx INTEGER PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS cluster_run(
                id INTEGER PRIMARY KEY,
                started TEXT NOT NULL,
                finished TEXT,
                mode TEXT NOT NULL,
                tx_from INTEGER NOT NULL,
                tx_to INTEGER NOT NULL,
                parameters TEXT NOT NULL,
                message TEXT);
            """)
        // Indexes clustered before the column existed.
        let progressColumns = try Row.fetchAll(db, sql: "PRAGMA table_info(cluster_progress)").map { $0["name"] as String }
        if !progressColumns.contains("blocks_removed") {
            try db.execute(sql: "ALTER TABLE cluster_progress ADD COLUMN blocks_removed INTEGER NOT NULL DEFAULT 0")
        }
    }

    /// How many blocks the chain index has ever removed (reorg rollbacks, explorer blocks
    /// replaced by the real block): a change since the last clustering run means transaction ids
    /// it refers to may be gone.
    static func blocksRemoved(_ db: Database) throws -> Int64 {
        Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'blocks_removed'") ?? "0") ?? 0
    }
}
