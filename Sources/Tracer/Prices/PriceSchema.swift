import GRDB

/// The price tables. They live in the index file next to the chain and Tracer tables, are created
/// on first use with `CREATE ... IF NOT EXISTS`, and touch no other table.
///
/// - `price_series`: one row per named series: `name` (unique), `created` (UTC, first import).
/// - `price_import`: one row per file imported into a series: `file` (path as given), `sha256` (of
///   the bytes, lowercase hex), `imported` (UTC), `rows` (in the file), `added` (new prices).
/// - `price`: one row per (series, currency, date): `price_e8` = the price of 1 BTC in 10⁻⁸
///   currency units (an integer), `import_id` = the import that added it.
///
/// Dates are `YYYY-MM-DD` (UTC days), currencies ISO 4217 codes; both are checked again on read.
/// A file is imported into a series once (`UNIQUE(series, sha256)`).
public enum PriceSchema {
    /// Creates the price tables and indexes that do not exist yet.
    public static func ensure(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS price_series(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS price_import(
                    id INTEGER PRIMARY KEY,
                    series INTEGER NOT NULL REFERENCES price_series(id),
                    file TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    imported TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    added INTEGER NOT NULL,
                    UNIQUE(series, sha256));
                CREATE TABLE IF NOT EXISTS price(
                    series INTEGER NOT NULL REFERENCES price_series(id),
                    currency TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
                    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
                    price_e8 INTEGER NOT NULL CHECK (typeof(price_e8) = 'integer' AND price_e8 > 0),
                    import_id INTEGER NOT NULL REFERENCES price_import(id),
                    PRIMARY KEY(series, currency, date)) WITHOUT ROWID;
                """)
    }
}
