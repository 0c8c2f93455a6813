//! The public archive: practices (a public version of a recognised nomination, or an imported
//! record), their badges and tags, organisers' synonyms, a version counter every public change
//! bumps, and the full-text index of search tokens — FTS5 on SQLite, tsvector + GIN on
//! PostgreSQL. The tokens are computed in Rust, so both index the same thing.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000004_create_archive"
    }
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

async fn index(manager: &SchemaManager<'_>, name: &str, table: &str, cols: &[&str], unique: bool) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("practices"))
                    .col(big_pk_auto(a("id")))
                    .col(string_len_uniq(a("slug"), 160))
                    .col(big_integer_null(a("nomination_id")))
                    .col(big_integer_null(a("edition_id")))
                    .col(string_len(a("status"), 16))
                    .col(string_len(a("category"), 16))
                    .col(string_len(a("region"), 16))
                    .col(string_len(a("industry"), 32).default(""))
                    .col(string_len(a("org_size"), 16).default(""))
                    .col(string_len(a("consent_scope"), 24))
                    .col(boolean(a("photos")).default(false))
                    .col(string_len(a("nominee_name"), 400).default(""))
                    .col(string_len(a("title"), 480))
                    .col(text(a("summary")))
                    .col(text(a("sections_json")))
                    .col(text_null(a("draft_json")))
                    .col(big_integer_null(a("prepared_by")))
                    .col(timestamp_with_time_zone_null(a("prepared_at")))
                    .col(big_integer_null(a("signed_off_by")))
                    .col(timestamp_with_time_zone_null(a("signed_off_at")))
                    .col(timestamp_with_time_zone_null(a("published_at")))
                    .col(timestamp_with_time_zone_null(a("gone_at")))
                    .col(string_len_null(a("gone_reason"), 32))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(ForeignKey::create().from(a("practices"), a("edition_id")).to(a("editions"), a("id")))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_practices_status", "practices", &["status", "published_at"], false).await?;
        index(manager, "idx_practices_nomination", "practices", &["nomination_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("practice_badges"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("practice_id")))
                    .col(string_len(a("kind"), 16))
                    .col(big_integer_null(a("edition_id")))
                    .col(string_len(a("edition_label"), 160))
                    .col(integer(a("year")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("practice_badges"), a("practice_id"))
                            .to(a("practices"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_badges_practice", "practice_badges", &["practice_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("practice_tags"))
                    .col(big_integer(a("practice_id")))
                    .col(string_len(a("tag"), 64))
                    .primary_key(Index::create().col(a("practice_id")).col(a("tag")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("practice_tags"), a("practice_id"))
                            .to(a("practices"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_tags_tag", "practice_tags", &["tag"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("synonyms"))
                    .col(big_pk_auto(a("id")))
                    .col(text(a("words")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(a("archive_meta"))
                    .col(string_len(a("name"), 32).primary_key())
                    .col(big_integer(a("value")))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO archive_meta (name, value) VALUES ('version', 1)").await?;

        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                // Contentless: only the rowid (= practice id) and the token index are kept.
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE practice_fts USING fts5(t_seq, t_uni, b_seq, b_uni, content='', contentless_delete=1, tokenize='unicode61')",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE practice_search (
                        practice_id BIGINT PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
                        t_seq tsvector NOT NULL, t_uni tsvector NOT NULL,
                        a_seq tsvector NOT NULL, a_uni tsvector NOT NULL)",
                )
                .await?;
                for col in ["t_seq", "t_uni", "a_seq", "a_uni"] {
                    db.execute_unprepared(&format!(
                        "CREATE INDEX idx_practice_search_{col} ON practice_search USING GIN ({col})"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => db.execute_unprepared("DROP TABLE IF EXISTS practice_fts").await?,
            _ => db.execute_unprepared("DROP TABLE IF EXISTS practice_search").await?,
        };
        for t in ["archive_meta", "synonyms", "practice_tags", "practice_badges", "practices"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
