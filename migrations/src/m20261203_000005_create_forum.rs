//! The forum: events of an edition, their programme (sessions and speakers), registrations
//! with a venue seat counter, and questions sent in advance. The outbox learns to carry one
//! attachment (the `.ics` of a confirmation).
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000005_create_forum"
    }
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

async fn index(manager: &SchemaManager<'_>, name: &str, table: &str, cols: &[&str]) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("events"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("edition_id")))
                    .col(string_len_uniq(a("slug"), 80))
                    .col(boolean(a("published")).default(false))
                    .col(string_len(a("title_ja"), 200))
                    .col(string_len(a("title_en"), 200).default(""))
                    .col(string_len(a("subtitle_ja"), 300).default(""))
                    .col(string_len(a("subtitle_en"), 300).default(""))
                    .col(timestamp_with_time_zone(a("starts_at")))
                    .col(timestamp_with_time_zone(a("ends_at")))
                    .col(timestamp_with_time_zone_null(a("reception_at")))
                    .col(string_len(a("venue_name"), 200).default(""))
                    .col(string_len(a("room"), 100).default(""))
                    .col(string_len(a("address"), 300).default(""))
                    .col(string_len(a("map_url"), 500).default(""))
                    .col(string_len(a("audience_ja"), 300).default(""))
                    .col(string_len(a("audience_en"), 300).default(""))
                    .col(string_len(a("fee_ja"), 100).default(""))
                    .col(string_len(a("fee_en"), 100).default(""))
                    .col(string_len(a("contact_name"), 200).default(""))
                    .col(string_len(a("contact_phone"), 40).default(""))
                    .col(string_len(a("contact_email"), 254).default(""))
                    .col(text(a("organisers")))
                    .col(text(a("co_organisers")))
                    .col(text(a("description_md")))
                    .col(integer(a("capacity")).default(0))
                    .col(integer(a("venue_taken")).default(0))
                    .col(timestamp_with_time_zone_null(a("venue_full_at")))
                    .col(boolean(a("waiting_list")).default(false))
                    .col(boolean(a("online")).default(true))
                    .col(timestamp_with_time_zone_null(a("online_only_from")))
                    .col(timestamp_with_time_zone_null(a("registration_opens_at")))
                    .col(timestamp_with_time_zone_null(a("registration_closes_at")))
                    .col(boolean(a("questions_public")).default(false))
                    .col(text(a("municipalities_json")))
                    .col(text(a("affiliations_json")))
                    .col(string_len(a("online_link"), 500).default(""))
                    .col(timestamp_with_time_zone_null(a("online_link_sent_at")))
                    .col(timestamp_with_time_zone_null(a("reminders_sent_at")))
                    .col(integer(a("retention_days")).default(90))
                    .col(timestamp_with_time_zone_null(a("purged_at")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(ForeignKey::create().from(a("events"), a("edition_id")).to(a("editions"), a("id")))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_events_edition", "events", &["edition_id"]).await?;
        index(manager, "idx_events_starts", "events", &["published", "starts_at"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("event_sessions"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("event_id")))
                    .col(integer(a("position")))
                    .col(string_len(a("kind"), 16))
                    .col(timestamp_with_time_zone_null(a("starts_at")))
                    .col(timestamp_with_time_zone_null(a("ends_at")))
                    .col(string_len(a("title_ja"), 300))
                    .col(string_len(a("title_en"), 300).default(""))
                    .col(string_len(a("subtitle_ja"), 300).default(""))
                    .col(string_len(a("subtitle_en"), 300).default(""))
                    .col(string_len(a("theme_ja"), 200).default(""))
                    .col(string_len(a("theme_en"), 200).default(""))
                    .col(big_integer_null(a("practice_id")))
                    .col(big_integer_null(a("nomination_id")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("event_sessions"), a("event_id"))
                            .to(a("events"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_event_sessions_event", "event_sessions", &["event_id", "position"]).await?;
        index(manager, "idx_event_sessions_practice", "event_sessions", &["practice_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("event_speakers"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("session_id")))
                    .col(integer(a("position")))
                    .col(string_len(a("name"), 100))
                    .col(string_len(a("affiliation"), 200).default(""))
                    .col(string_len(a("role_title"), 200).default(""))
                    .col(big_integer_null(a("user_id")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("event_speakers"), a("session_id"))
                            .to(a("event_sessions"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_event_speakers_session", "event_speakers", &["session_id", "position"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("event_registrations"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("event_id")))
                    .col(big_integer_null(a("user_id")))
                    .col(string_len(a("status"), 16))
                    .col(string_len(a("attendance"), 16))
                    .col(string_len(a("name"), 100))
                    .col(string_len(a("furigana"), 120))
                    .col(string_len(a("phone"), 40))
                    .col(string_len(a("email"), 254))
                    .col(string_len(a("municipality"), 100))
                    .col(string_len(a("municipality_other"), 100).default(""))
                    .col(string_len(a("affiliation"), 32))
                    .col(text(a("needs")))
                    .col(string_len(a("locale"), 8))
                    .col(string_len_uniq(a("cancel_token_hash"), 64))
                    .col(timestamp_with_time_zone(a("rules_ack_at")))
                    .col(timestamp_with_time_zone(a("privacy_ack_at")))
                    .col(timestamp_with_time_zone_null(a("waiting_since")))
                    .col(timestamp_with_time_zone_null(a("promoted_at")))
                    .col(timestamp_with_time_zone_null(a("online_link_sent_at")))
                    .col(timestamp_with_time_zone_null(a("reminder_sent_at")))
                    .col(timestamp_with_time_zone_null(a("checked_in_at")))
                    .col(timestamp_with_time_zone_null(a("cancelled_at")))
                    .col(timestamp_with_time_zone_null(a("purged_at")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(
                        ForeignKey::create().from(a("event_registrations"), a("event_id")).to(a("events"), a("id")),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_event_registrations_event", "event_registrations", &["event_id", "status"]).await?;
        // One live registration per address and event (a cancelled or purged one does not count);
        // both databases support partial unique indexes.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_event_registrations_once ON event_registrations (event_id, email) \
                 WHERE status <> 'cancelled' AND purged_at IS NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(a("event_questions"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("event_id")))
                    .col(big_integer_null(a("session_id")))
                    .col(big_integer_null(a("registration_id")))
                    .col(big_integer_null(a("user_id")))
                    .col(string_len(a("asker_name"), 100).default(""))
                    .col(boolean(a("show_name")).default(false))
                    .col(text(a("body")))
                    .col(string_len(a("status"), 16))
                    .col(big_integer_null(a("merged_into")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone_null(a("decided_at")))
                    .col(big_integer_null(a("decided_by")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("event_questions"), a("event_id"))
                            .to(a("events"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_event_questions_event", "event_questions", &["event_id", "status"]).await?;

        // Event pages are cached like the archive's; this counter moves with every change they show.
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO archive_meta (name, value) VALUES ('forum', 1)")
            .await?;

        for (col, len) in [("attachment_name", 120), ("attachment_type", 80)] {
            manager
                .alter_table(Table::alter().table(a("outbox")).add_column(string_len_null(a(col), len)).to_owned())
                .await?;
        }
        manager
            .alter_table(Table::alter().table(a("outbox")).add_column(text_null(a("attachment_body"))).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["event_questions", "event_registrations", "event_speakers", "event_sessions", "events"] {
            manager.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
