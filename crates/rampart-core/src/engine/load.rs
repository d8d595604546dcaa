//! Start-up: the first snapshot from every stored row, on every core.
//!
//! Three stages run at once: one thread reads the store in chunks, workers (one per core)
//! decode each chunk (JSON, policy documents), and the calling thread inserts the decoded
//! entries and their index entries, the one step that must be serial. The store hands out
//! each `(kind, key)` once, so the order chunks arrive in does not change the result. At
//! most a few chunks are in flight, so the rows' text is never all in memory at once.
//! Access key secrets stay sealed (`KeyEntry::secret` opens one on first use); one is
//! opened here so that a wrong master key still stops the start.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::error::CoreError;
use crate::secrets::MasterKey;
use crate::state::{Decoded, IndexEntry, State, decode_row, decoded_entries};
use crate::store::{Row, Store};

/// Rows per chunk: large enough that channel traffic is noise, small enough that the
/// chunks in flight stay a few megabytes.
const CHUNK: usize = 4096;

/// A chunk of rows with their decoded entries (a row keeps its body only when its kind
/// decodes where it is applied).
type DecodedChunk = Result<Vec<(Row, Decoded, Vec<IndexEntry>)>, CoreError>;

/// Every stored row applied to the built-in state.
pub(super) fn load_state(store: &dyn Store, master: &MasterKey) -> Result<State, CoreError> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut state = State::with_builtins()?;
    let seq = std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = sync_channel::<Vec<Row>>(workers * 2);
        let (decoded_tx, decoded_rx) = sync_channel::<DecodedChunk>(workers * 2);
        // Workers share the receiver; when the last one stops, the reader's sends fail and
        // it stops too.
        let raw_rx = Arc::new(Mutex::new(raw_rx));
        for _ in 0..workers {
            let (raw_rx, decoded_tx) = (Arc::clone(&raw_rx), decoded_tx.clone());
            scope.spawn(move || decode_chunks(&raw_rx, &decoded_tx));
        }
        drop((raw_rx, decoded_tx));
        let reader =
            scope.spawn(move || store.load_chunked(CHUNK, &mut |rows| raw_tx.send(rows).is_ok()));
        let applied = apply_chunks(&mut state, decoded_rx);
        let seq = reader
            .join()
            .map_err(|_| CoreError::Internal("the store reader panicked".into()))??;
        applied.map(|()| seq)
    })?;
    state.seq = seq;
    check_master_key(&state, master)?;
    Ok(state)
}

/// A worker: decodes chunks until the reader is done or the applier has stopped.
fn decode_chunks(raw: &Mutex<Receiver<Vec<Row>>>, decoded: &SyncSender<DecodedChunk>) {
    loop {
        let next = match raw.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(rows) = next else { return };
        let chunk = rows
            .into_iter()
            .map(|mut row| {
                let entry = match row.body.as_deref() {
                    Some(body) => decode_row(&row.kind, body, row.version)?,
                    None => Decoded::Later,
                };
                if !matches!(entry, Decoded::Later) {
                    row.body = None;
                }
                let entries = decoded_entries(&entry, &row.key);
                Ok((row, entry, entries))
            })
            .collect();
        if decoded.send(chunk).is_err() {
            return;
        }
    }
}

/// Inserts every decoded chunk; on the first error stops (dropping the receiver, which
/// stops the workers and then the reader) and returns it.
fn apply_chunks(state: &mut State, decoded: Receiver<DecodedChunk>) -> Result<(), CoreError> {
    for chunk in decoded {
        for (row, entry, entries) in chunk? {
            state.load(&row, entry, entries)?;
        }
    }
    Ok(())
}

/// Opens one stored access key secret: a master key that is not the one that sealed them
/// fails here, at start-up, not on every signed request.
fn check_master_key(state: &State, master: &MasterKey) -> Result<(), CoreError> {
    match state.any_access_key() {
        Some(entry) => entry.secret(master).map(|_| ()).map_err(|err| {
            CoreError::Internal(format!(
                "access key {} does not open with this master key: {err}",
                entry.record.id
            ))
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::engine::Engine;
    use crate::ops::iam::{access_keys, groups, policies, users};
    use crate::ops::signup;
    use crate::secrets::MasterKey;
    use crate::store::Store;
    use crate::store::memory::MemoryStore;

    const POLICY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    #[test]
    fn a_reopened_engine_loads_every_record_and_index_and_opens_secrets_on_use() {
        let store = Arc::new(MemoryStore::new());
        let engine = Engine::over(store.clone());
        let account = engine
            .write(|txn| signup::create_account(txn, "load@example.com", "load", None, 1))
            .unwrap()
            .id;
        // More rows than one chunk, so several chunks decode on several workers.
        let mut keys = Vec::new();
        for batch in 0..3 {
            let created = engine
                .write(|txn| {
                    let mut created = Vec::new();
                    for n in 0..1500 {
                        let name = format!("u{batch}-{n}");
                        users::create(txn, &account, &name, None, vec![], None, 2)?;
                        policies::attach_to_user(txn, &account, &name, POLICY)?;
                        created.push(access_keys::create(txn, &account, Some(&name), 2)?);
                    }
                    Ok(created)
                })
                .unwrap();
            keys.extend(created);
        }
        engine
            .write(|txn| {
                groups::create(txn, &account, "devs", None, 3)?;
                groups::add_user(txn, &account, "devs", "u0-0")
            })
            .unwrap();
        let before = engine.snapshot();

        let reopened = Engine::over(store.clone());
        let after = reopened.snapshot();
        assert_eq!(after.seq, before.seq);
        assert_eq!(
            after.users(&account).count(),
            before.users(&account).count()
        );
        assert_eq!(after.indexes.attachments, before.indexes.attachments);
        assert_eq!(after.indexes.access_keys, before.indexes.access_keys);
        assert_eq!(after.indexes.group_members, before.indexes.group_members);
        assert_eq!(after.indexes.emails, before.indexes.emails);
        for (record, secret) in keys.iter().step_by(500) {
            let entry = after.access_key(&record.id).unwrap();
            let opened = entry.secret(reopened.master()).unwrap();
            assert_eq!(opened.expose(), secret.as_bytes());
        }

        let wrong = Engine::open(store, MasterKey::from_bytes([8; 32]));
        assert!(
            wrong.is_err(),
            "a master key that did not seal the keys stops the start"
        );
    }

    #[test]
    fn a_row_that_does_not_decode_stops_the_load() {
        let store = Arc::new(MemoryStore::new());
        let (seq, _) = store.load().unwrap();
        let bad = crate::store::Row {
            kind: crate::model::kind::USER.into(),
            key: "123456789012/x".into(),
            body: Some("{not json".into()),
            version: 1,
        };
        store.commit(seq, &[bad]).unwrap();
        assert!(Engine::open(store, MasterKey::from_bytes([7; 32])).is_err());
    }
}
