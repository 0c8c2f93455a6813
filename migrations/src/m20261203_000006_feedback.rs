//! Feedback to nominees: a reviewer's comment to the nominee reaches them only after an
//! organiser has read it — accepted as written, edited with a recorded reason, or held back.
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000006_feedback"
    }
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let columns = [
            // pending | accepted | edited | held
            string_len(a("nominee_comment_state"), 16).default("pending").to_owned(),
            // The text the nominee reads when the organiser edited it.
            text(a("nominee_comment_final")).default("").to_owned(),
            // Why it was edited or held back (organisers only).
            string_len(a("nominee_comment_reason"), 500).default("").to_owned(),
            big_integer_null(a("nominee_comment_by")).to_owned(),
            timestamp_with_time_zone_null(a("nominee_comment_at")).to_owned(),
        ];
        for mut col in columns {
            manager.alter_table(Table::alter().table(a("reviews")).add_column(&mut col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            "nominee_comment_state",
            "nominee_comment_final",
            "nominee_comment_reason",
            "nominee_comment_by",
            "nominee_comment_at",
        ] {
            manager.alter_table(Table::alter().table(a("reviews")).drop_column(a(col)).to_owned()).await?;
        }
        Ok(())
    }
}
