//! Shared fixtures for the comparison benchmark.
