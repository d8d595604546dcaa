-- STS sessions live in their tokens (rampart_core::session_token): the session rows older
-- versions wrote are dead. A token issued before this version stops working, as after
-- any credential rotation; clients request new ones.
DELETE FROM rows WHERE kind = 'session';
