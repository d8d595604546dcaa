//! Console sessions, kept in the server process's memory (a restart signs everyone out;
//! every node of a cluster keeps its own, so a browser stays with the node it signed in on).
//!
//! A session is bound to the principal, whether MFA was used and the sign-in time; it ends
//! at its absolute lifetime (root 1 h, IAM users 12 h, as AWS) or after
//! [`IDLE_SECONDS`] without a request. A half-finished sign-in (password accepted, MFA
//! code or password change still to come) is a separate, short-lived [`Pending`] entry
//! under its own cookie. Cookies hold only random tokens; each entry has its own CSRF token.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rampart_core::auth::Caller;
use rampart_core::request::signin::{self, PasswordAccepted};

/// The session cookie.
pub const SESSION_COOKIE: &str = "rampart-session";
/// The cookie of a sign-in in progress.
pub const PENDING_COOKIE: &str = "rampart-signin";
/// A session ends after this long without a request.
pub const IDLE_SECONDS: i64 = 30 * 60;
/// A sign-in in progress must finish within this time.
pub const PENDING_SECONDS: i64 = 5 * 60;
/// At most this many sessions and pending sign-ins are kept (oldest dropped first).
const MAX_ENTRIES: usize = 10_000;

/// A signed-in browser.
#[derive(Clone)]
pub struct Session {
    /// The principal with its console session context (MFA, sign-in time).
    pub caller: Caller,
    /// When the session ends whatever happens.
    pub expires: i64,
    /// The last request, for the idle timeout.
    pub last_seen: i64,
    /// The token every state-changing form must carry.
    pub csrf: String,
    /// A one-time message for the next page ("User created.").
    pub flash: Option<String>,
    /// While switched to a role: the signed-in principal, its session's end and how the
    /// role is shown.
    pub switched: Option<Switched>,
}

/// The colours the switch-role form offers: AWS's five (value, name).
pub const COLOURS: &[(&str, &str)] = &[
    ("F2B0A9", "Red"),
    ("FBBF93", "Orange"),
    ("FAD791", "Yellow"),
    ("B7CA9D", "Green"),
    ("99BCE3", "Blue"),
];

/// A role as the switch-role form and the role history know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChoice {
    /// The role's account id.
    pub account: String,
    /// The role name.
    pub role: String,
    /// The name shown in the navigation bar.
    pub display_name: String,
    /// One of [`COLOURS`]' values.
    pub colour: String,
}

/// A session switched to a role.
#[derive(Clone)]
pub struct Switched {
    /// The principal that signed in, with its console session context.
    pub original: Caller,
    /// When the signed-in session itself ends.
    pub original_expires: i64,
    /// When the role session ends (the console then returns to `original`).
    pub role_expires: i64,
    /// The role and how it is shown.
    pub choice: RoleChoice,
}

/// How many roles the role history keeps (AWS: five).
pub const HISTORY: usize = 5;

/// The message shown after a role session ran out.
pub const ROLE_EXPIRED: &str =
    "Your role session expired. You are back to your own identity; switch role again to continue.";

/// What a sign-in in progress still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// An MFA code.
    Mfa,
    /// A new password (reset required or expired).
    ChangePassword,
}

/// A sign-in whose password was accepted.
#[derive(Clone)]
pub struct Pending {
    /// Who, and what the password rules said.
    pub accepted: PasswordAccepted,
    /// The lockout key of the name that was typed.
    pub identity: String,
    /// What comes next.
    pub stage: Stage,
    /// Whether the MFA step was passed.
    pub mfa_used: bool,
    /// When the entry lapses.
    pub expires: i64,
    /// The CSRF token of its forms.
    pub csrf: String,
}

/// All sessions and sign-ins in progress of this process.
#[derive(Default)]
pub struct Sessions {
    sessions: Mutex<HashMap<String, Session>>,
    pending: Mutex<HashMap<String, Pending>>,
    /// The last roles each signed-in principal (by ARN) switched to, newest first.
    history: Mutex<HashMap<String, Vec<RoleChoice>>>,
}

// Tokens are credentials: debug output names the principal, never a token.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("principal", &self.caller.arn())
            .field("expires", &self.expires)
            .field("last_seen", &self.last_seen)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("principal", &self.accepted.caller.arn())
            .field("stage", &self.stage)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions").finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fresh random token (256 bits, URL-safe).
pub fn token() -> String {
    let bytes = rampart_core::random::bytes::<32>();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two tokens in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Keeps a map under its size bound by dropping the entries that lapse first.
fn bound<T>(map: &mut HashMap<String, T>, expires: impl Fn(&T) -> i64) {
    if map.len() < MAX_ENTRIES {
        return;
    }
    let mut by_expiry: Vec<(i64, String)> =
        map.iter().map(|(k, v)| (expires(v), k.clone())).collect();
    by_expiry.sort();
    for (_, key) in by_expiry.into_iter().take(map.len() / 10 + 1) {
        map.remove(&key);
    }
}

impl Sessions {
    /// Starts a session for `caller` (already a console session caller) at `now`; returns
    /// the cookie token.
    pub fn start(&self, caller: Caller, now: i64) -> String {
        let key = token();
        let expires = now + signin::session_lifetime(&caller);
        let session = Session {
            caller,
            expires,
            last_seen: now,
            csrf: token(),
            flash: None,
            switched: None,
        };
        let mut map = lock(&self.sessions);
        map.retain(|_, s| s.expires > now && now - s.last_seen < IDLE_SECONDS);
        bound(&mut map, |s| s.expires.min(s.last_seen + IDLE_SECONDS));
        map.insert(key.clone(), session);
        key
    }

    /// The live session behind `key`, touched at `now` (its flash message taken). A role
    /// session that ran out returns the session to the principal that signed in.
    pub fn get(&self, key: &str, now: i64) -> Option<Session> {
        let mut map = lock(&self.sessions);
        let live = map
            .get(key)
            .is_some_and(|s| s.expires > now && now - s.last_seen < IDLE_SECONDS);
        if !live {
            map.remove(key);
            return None;
        }
        let session = map.get_mut(key)?;
        if session
            .switched
            .as_ref()
            .is_some_and(|s| s.role_expires <= now)
        {
            restore(session);
            session.flash = Some(ROLE_EXPIRED.to_owned());
        }
        session.last_seen = now;
        let current = session.clone();
        session.flash = None;
        Some(current)
    }

    /// Whether `key` names a live session, without touching it.
    pub fn is_live(&self, key: &str, now: i64) -> bool {
        lock(&self.sessions)
            .get(key)
            .is_some_and(|s| s.expires > now && now - s.last_seen < IDLE_SECONDS)
    }

    /// Leaves a message for the session's next page.
    pub fn flash(&self, key: &str, message: &str) {
        if let Some(session) = lock(&self.sessions).get_mut(key) {
            session.flash = Some(message.to_owned());
        }
    }

    /// Switches the session behind `key` to `role` (a role session caller) until
    /// `role_expires`, and puts `choice` first in the signed-in principal's role history.
    pub fn switch_to(&self, key: &str, role: Caller, role_expires: i64, choice: RoleChoice) {
        let mut map = lock(&self.sessions);
        let Some(session) = map.get_mut(key) else {
            return;
        };
        let (original, original_expires) = match session.switched.take() {
            Some(s) => (s.original, s.original_expires),
            None => (session.caller.clone(), session.expires),
        };
        let owner = original.arn();
        session.caller = role;
        session.switched = Some(Switched {
            original,
            original_expires,
            role_expires,
            choice: choice.clone(),
        });
        drop(map);
        let mut history = lock(&self.history);
        bound(&mut history, |list| i64::try_from(list.len()).unwrap_or(0));
        let list = history.entry(owner).or_default();
        list.retain(|c| c.account != choice.account || c.role != choice.role);
        list.insert(0, choice);
        list.truncate(HISTORY);
    }

    /// Switches the session behind `key` back to the principal that signed in.
    pub fn switch_back(&self, key: &str) {
        if let Some(session) = lock(&self.sessions).get_mut(key) {
            restore(session);
        }
    }

    /// The roles the principal with `arn` switched to last, newest first.
    pub fn history(&self, arn: &str) -> Vec<RoleChoice> {
        lock(&self.history).get(arn).cloned().unwrap_or_default()
    }

    /// Ends the session behind `key`.
    pub fn end(&self, key: &str) {
        lock(&self.sessions).remove(key);
    }

    /// Remembers a sign-in in progress; returns the cookie token.
    pub fn start_pending(&self, pending: Pending, now: i64) -> String {
        let key = token();
        let mut map = lock(&self.pending);
        map.retain(|_, p| p.expires > now);
        bound(&mut map, |p| p.expires);
        map.insert(key.clone(), pending);
        key
    }

    /// The sign-in in progress behind `key`.
    pub fn pending(&self, key: &str, now: i64) -> Option<Pending> {
        let mut map = lock(&self.pending);
        match map.get(key) {
            Some(p) if p.expires > now => Some(p.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    /// Replaces the sign-in in progress behind `key`.
    pub fn update_pending(&self, key: &str, pending: Pending) {
        lock(&self.pending).insert(key.to_owned(), pending);
    }

    /// Forgets the sign-in in progress behind `key`.
    pub fn end_pending(&self, key: &str) {
        lock(&self.pending).remove(key);
    }
}

/// Returns a switched session to the principal that signed in.
fn restore(session: &mut Session) {
    if let Some(switched) = session.switched.take() {
        session.caller = switched.original;
        session.expires = switched.original_expires;
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, scoped to the console, `Secure` over
/// TLS; `max_age` 0 deletes it.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/console; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use rampart_core::auth::Principal;
    use rampart_core::model::AccountId;
    use rampart_core::ops::iam::passwords::SignIn;

    use super::*;

    fn root() -> Caller {
        let account = AccountId::parse("123456789012").unwrap();
        signin::console_session(signin::root_caller(account), 1000, true)
    }

    #[test]
    fn a_root_session_ends_after_one_hour_even_when_used() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        for t in (1000..4600).step_by(600) {
            assert!(sessions.get(&key, t).is_some(), "at {t}");
        }
        assert!(sessions.get(&key, 4600).is_none());
    }

    #[test]
    fn a_session_ends_after_thirty_idle_minutes() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        assert!(sessions.get(&key, 1000 + IDLE_SECONDS - 1).is_some());
        assert!(sessions.get(&key, 1000 + 2 * IDLE_SECONDS).is_none());
    }

    #[test]
    fn sessions_carry_the_principal_and_a_csrf_token_and_end_on_sign_out() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        let session = sessions.get(&key, 1001).unwrap();
        assert_eq!(session.caller.principal, Principal::Root);
        assert_eq!(session.csrf.len(), 64);
        assert!(
            session
                .caller
                .session
                .unwrap()
                .mfa_authenticated_at
                .is_some()
        );
        sessions.end(&key);
        assert!(sessions.get(&key, 1002).is_none());
    }

    fn choice(role: &str) -> RoleChoice {
        RoleChoice {
            account: "210987654321".into(),
            role: role.into(),
            display_name: format!("{role} display"),
            colour: "99BCE3".into(),
        }
    }

    #[test]
    fn an_expired_role_session_returns_to_the_signed_in_principal_with_a_message() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        let role = signin::root_caller(AccountId::parse("210987654321").unwrap());
        sessions.switch_to(&key, role, 1900, choice("Admin"));
        let switched = sessions.get(&key, 1899).unwrap();
        assert_eq!(switched.caller.account.as_str(), "210987654321");
        assert!(switched.switched.is_some() && switched.flash.is_none());
        let back = sessions.get(&key, 1900).unwrap();
        assert_eq!(back.caller.account.as_str(), "123456789012");
        assert!(back.switched.is_none());
        assert_eq!(back.flash.as_deref(), Some(ROLE_EXPIRED));
        // The signed-in session itself goes on until its own end.
        assert!(sessions.get(&key, 3000).is_some());
    }

    #[test]
    fn role_history_keeps_the_last_five_distinct_roles_newest_first() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        let owner = root().arn();
        for name in ["A", "B", "C", "D", "E", "F", "C"] {
            let role = signin::root_caller(AccountId::parse("210987654321").unwrap());
            sessions.switch_to(&key, role, 5000, choice(name));
            sessions.switch_back(&key);
        }
        let names: Vec<String> = sessions
            .history(&owner)
            .into_iter()
            .map(|c| c.role)
            .collect();
        assert_eq!(names, ["C", "F", "E", "D", "B"]);
        assert!(sessions.get(&key, 1001).unwrap().switched.is_none());
    }

    #[test]
    fn debug_output_never_shows_tokens() {
        let sessions = Sessions::default();
        let key = sessions.start(root(), 1000);
        let session = sessions.get(&key, 1001).unwrap();
        let shown = format!("{session:?} {sessions:?}");
        assert!(
            !shown.contains(&session.csrf) && !shown.contains(&key),
            "{shown}"
        );
    }

    #[test]
    fn pending_sign_ins_lapse() {
        let sessions = Sessions::default();
        let pending = Pending {
            accepted: PasswordAccepted {
                caller: root(),
                mfa_serial: None,
                outcome: SignIn::Ok,
            },
            identity: "root:a@b.c".into(),
            stage: Stage::Mfa,
            mfa_used: false,
            expires: 1000 + PENDING_SECONDS,
            csrf: token(),
        };
        let key = sessions.start_pending(pending, 1000);
        assert!(sessions.pending(&key, 1001).is_some());
        assert!(sessions.pending(&key, 1000 + PENDING_SECONDS).is_none());
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header_and_set_strict() {
        let headers = vec![("Cookie".to_owned(), "a=1; rampart-session=xyz".to_owned())];
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&headers, "b"), None);
        let set = set_cookie(SESSION_COOKIE, "v", 60, true);
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Secure")
        );
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("a", "ab"));
    }
}
