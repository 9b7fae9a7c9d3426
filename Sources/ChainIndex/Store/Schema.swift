import GRDB

/// The index schema. Layout notes:
///
/// - Integer ids everywhere. Ids are assigned by the importer, in write order, so every block's
///   transactions, every transaction's outputs and every transaction's inputs are contiguous id
///   ranges (`tx.output_first`, `tx.input_first`); an output's `n` is `output.id - tx.output_first`.
/// - A txid is stored once, in `tx.txid`; lookups go through `tx_txkey`, an index on its first
///   eight bytes (an 8-byte index instead of a 32-byte one), and compare the full txid. The wtxid
///   is not stored (tracing never needs it).
/// - `input.spends` is the id of the output an input spends; NULL for a coinbase and for an
///   unresolved input (a slice whose funding transaction is not in the index), which keeps
///   `prev_txid`/`prev_vout` until the funding transaction arrives.
/// - `address.key` is ``AddressKey/storageBytes``: kind, witness version, payload. The text form is
///   rendered for the index's network when shown. Ids are assigned in order of first appearance;
///   `address_key` indexes eight payload bytes (hashes, so well spread) rather than the whole key,
///   and lookups compare the full key.
/// - An output's `type` is ``ScriptType``'s raw value; scripts without an address (multisig,
///   OP_RETURN, non-standard) and P2PK keys keep their script in `output_script`.
enum Schema {
    /// Secondary indexes for lookups. A first import into an empty index drops them and builds
    /// them once at the end (sorting once is much faster than millions of random B-tree inserts);
    /// any later run makes sure they exist before it writes.
    static let lookupIndexes: [(name: String, sql: String)] = [
        ("tx_txkey", "CREATE INDEX IF NOT EXISTS tx_txkey ON tx(substr(txid, 1, 8))"),
        ("output_address", "CREATE INDEX IF NOT EXISTS output_address ON output(address) WHERE address IS NOT NULL"),
        ("input_spends", "CREATE INDEX IF NOT EXISTS input_spends ON input(spends) WHERE spends IS NOT NULL"),
        ("input_unresolved", "CREATE INDEX IF NOT EXISTS input_unresolved ON input(prev_txid) WHERE prev_txid IS NOT NULL"),
    ]

    static func createLookupIndexes(_ db: Database) throws {
        for index in lookupIndexes { try db.execute(sql: index.sql) }
    }

    static func dropLookupIndexes(_ db: Database) throws {
        for index in lookupIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE block(
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE,
                    prev BLOB NOT NULL,
                    height INTEGER,
                    height_source TEXT NOT NULL,
                    in_chain INTEGER NOT NULL,
                    chainwork BLOB,
                    version INTEGER NOT NULL,
                    merkle BLOB NOT NULL,
                    time INTEGER NOT NULL,
                    bits INTEGER NOT NULL,
                    nonce INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    tx_first INTEGER NOT NULL,
                    tx_count INTEGER NOT NULL,
                    output_first INTEGER NOT NULL,
                    output_count INTEGER NOT NULL,
                    input_first INTEGER NOT NULL,
                    input_count INTEGER NOT NULL,
                    import_run INTEGER NOT NULL);
                CREATE INDEX block_height ON block(height);
                CREATE UNIQUE INDEX block_chain_height ON block(height) WHERE in_chain = 1;
                CREATE TABLE tx(
                    id INTEGER PRIMARY KEY,
                    txid BLOB NOT NULL,
                    block INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    locktime INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    weight INTEGER NOT NULL,
                    fee INTEGER,
                    output_first INTEGER NOT NULL,
                    output_count INTEGER NOT NULL,
                    input_first INTEGER NOT NULL,
                    input_count INTEGER NOT NULL);
                CREATE TABLE output(
                    id INTEGER PRIMARY KEY,
                    tx INTEGER NOT NULL,
                    value INTEGER NOT NULL,
                    address INTEGER,
                    type INTEGER NOT NULL);
                CREATE TABLE output_script(output INTEGER PRIMARY KEY, script BLOB NOT NULL);
                CREATE TABLE input(
                    id INTEGER PRIMARY KEY,
                    tx INTEGER NOT NULL,
                    spends INTEGER,
                    prev_txid BLOB,
                    prev_vout INTEGER,
                    sequence INTEGER NOT NULL);
                CREATE TABLE address(id INTEGER PRIMARY KEY, key BLOB NOT NULL);
                CREATE INDEX address_key ON address(substr(key, 3, 8));
                CREATE TABLE same_key(address INTEGER PRIMARY KEY, owner INTEGER NOT NULL);
                CREATE TABLE stale_block(
                    hash BLOB PRIMARY KEY, prev BLOB NOT NULL, height INTEGER, time INTEGER NOT NULL,
                    reason TEXT NOT NULL, import_run INTEGER NOT NULL);
                CREATE TABLE import_run(
                    id INTEGER PRIMARY KEY,
                    started TEXT NOT NULL,
                    finished TEXT,
                    status TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    network TEXT NOT NULL,
                    software TEXT NOT NULL,
                    blocks_added INTEGER NOT NULL DEFAULT 0,
                    txs_added INTEGER NOT NULL DEFAULT 0,
                    blocks_rolled_back INTEGER NOT NULL DEFAULT 0,
                    stale_seen INTEGER NOT NULL DEFAULT 0,
                    message TEXT);
                CREATE TABLE import_file(
                    run INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY(run, path));
                """)
            try createLookupIndexes(db)
        }
        // Explorer JSON (Esplora) gives the value and script of the output each input spends. For an
        // input whose funding transaction is not in the index, they are kept here (the explorer's
        // word, not the chain's) until that transaction arrives, when the row is checked and dropped.
        m.registerMigration("v2-input-prevout") { db in
            try db.execute(sql: """
                CREATE TABLE input_prevout(
                    input INTEGER PRIMARY KEY,
                    value INTEGER NOT NULL,
                    address INTEGER,
                    type INTEGER NOT NULL,
                    script BLOB,
                    import_run INTEGER NOT NULL);
                """)
        }
        // What an explorer import stored, so that a later explorer import of more transactions of
        // the same block can rebuild the block with all of them: each transaction's serialization
        // and its inputs' prevouts (``ExplorerSource``).
        m.registerMigration("v3-explorer-tx") { db in
            try db.execute(sql: "CREATE TABLE explorer_tx(tx INTEGER PRIMARY KEY, source BLOB NOT NULL)")
        }
        return m
    }
}
