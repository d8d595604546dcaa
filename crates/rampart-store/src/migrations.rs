//! Schema migrations, embedded in the binary and applied in order at open.
//!
//! Each backend has its own SQL (the schemas mean the same thing, the dialects differ);
//! both record what they applied in a `schema_version` table.

/// SQLite migrations: (version, SQL). Versions are contiguous from 1.
pub const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_rows.sql")),
    (2, include_str!("../migrations/sqlite/0002_audit.sql")),
    (
        3,
        include_str!("../migrations/sqlite/0003_audit_lookup.sql"),
    ),
    (
        4,
        include_str!("../migrations/sqlite/0004_alert_outbox.sql"),
    ),
    (
        5,
        include_str!("../migrations/sqlite/0005_drop_sessions.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_row_versions.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_compaction.sql")),
];

/// PostgreSQL migrations: (version, SQL). Versions are contiguous from 1.
pub const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_rows.sql")),
    (2, include_str!("../migrations/postgres/0002_audit.sql")),
    (
        3,
        include_str!("../migrations/postgres/0003_audit_lookup.sql"),
    ),
    (
        4,
        include_str!("../migrations/postgres/0004_alert_outbox.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/0005_drop_sessions.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_row_versions.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_compaction.sql"),
    ),
];
