//! sea-orm entities: the only place table shapes are described for queries. Never sent to the browser.
pub mod attachment;
pub mod audit;
pub mod auth_attempt;
pub mod category;
pub mod category_question;
pub mod consent;
pub mod consent_event;
pub mod consent_token;
pub mod edition;
pub mod edition_stage;
pub mod instance_secret;
pub mod nomination;
pub mod outbox;
pub mod password_reset;
pub mod session;
pub mod user;
