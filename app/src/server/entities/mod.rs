//! sea-orm entities: the only place table shapes are described for queries. Never sent to the browser.
pub mod auth_attempt;
pub mod instance_secret;
pub mod outbox;
pub mod password_reset;
pub mod session;
pub mod user;
