//! Use cases: load through repositories, apply domain rules, write back in one transaction.
pub mod accounts;
pub mod archive;
pub mod assigning;
pub mod attachments;
pub mod consent;
pub mod demo;
pub mod demo_events;
pub mod editions;
pub mod forum;
pub mod jobs;
pub mod nominations;
pub mod panels;
pub mod results;
pub mod reviewing;
pub mod rubrics;
pub mod screening;
pub mod stages;
