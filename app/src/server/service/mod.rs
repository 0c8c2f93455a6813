//! Use cases: load through repositories, apply domain rules, write back in one transaction.
pub mod accounts;
pub mod demo;
pub mod jobs;
