//! The people's side: a nominator's request for more time (the reason only organisers read),
//! a reviewer's pause or hand-back of an assignment, and an e-mail change confirmed by a link
//! sent to the new address.
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000007_people"
    }
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(a(from_table), a(from_col)).to(a(to_table), a("id")).on_delete(ForeignKeyAction::Cascade);
    f
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Until when an organiser let this nomination stay open after the deadline.
        manager
            .alter_table(
                Table::alter()
                    .table(a("nominations"))
                    .add_column(timestamp_with_time_zone_null(a("extended_until")).to_owned())
                    .to_owned(),
            )
            .await?;
        // The reviewer paused this assignment (organisers see it on the board).
        manager
            .alter_table(
                Table::alter()
                    .table(a("assignments"))
                    .add_column(timestamp_with_time_zone_null(a("paused_at")).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("extension_requests"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("nomination_id")))
                    .col(big_integer_null(a("requested_by")))
                    // Health information, possibly: organisers read it, nobody else, no log.
                    .col(text(a("reason")))
                    .col(timestamp_with_time_zone(a("wanted_until")))
                    // pending | granted | declined
                    .col(string_len(a("status"), 16))
                    .col(timestamp_with_time_zone_null(a("granted_until")))
                    .col(big_integer_null(a("decided_by")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("extension_requests", "nomination_id", "nominations"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_extension_requests_nomination")
                    .table(a("extension_requests"))
                    .col(a("nomination_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("assignment_returns"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("nomination_id")))
                    .col(big_integer(a("reviewer_id")))
                    .col(integer(a("round")))
                    // Optional, organisers only.
                    .col(string_len(a("note"), 500).default(""))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("assignment_returns", "nomination_id", "nominations"))
                    .foreign_key(&mut fk("assignment_returns", "reviewer_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assignment_returns_nomination")
                    .table(a("assignment_returns"))
                    .col(a("nomination_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("email_changes"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("user_id")))
                    // The address it replaces: deletion erases every address an account has had.
                    .col(string_len(a("old_email"), 254))
                    .col(string_len(a("new_email"), 254))
                    .col(string_len_uniq(a("token_hash"), 64))
                    .col(timestamp_with_time_zone(a("expires_at")))
                    .col(timestamp_with_time_zone_null(a("used_at")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("email_changes", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["email_changes", "assignment_returns", "extension_requests"] {
            manager.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(a("assignments")).drop_column(a("paused_at")).to_owned()).await?;
        manager.alter_table(Table::alter().table(a("nominations")).drop_column(a("extended_until")).to_owned()).await?;
        Ok(())
    }
}
