//! Schema migrations, embedded in the binary and applied in order at open.

/// SQLite migrations: (version, SQL). Versions are contiguous from 1.
pub const SQLITE: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_rows.sql"))];
