//! End-to-end tests (placeholder while the server is built).
