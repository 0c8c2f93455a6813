//! Review: reviewer panels and invitations, conflicts of interest, rubrics and criteria per
//! edition, category and round, assignments, score sheets and their scores.
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000003_create_review"
    }
}

fn fk(from_table: &str, from_col: &str, to_table: &str, cascade: bool) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(Alias::new(from_table), Alias::new(from_col)).to(Alias::new(to_table), Alias::new("id"));
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

async fn index(manager: &SchemaManager<'_>, name: &str, table: &str, cols: &[&str], unique: bool) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("panel_members"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("edition_id")))
                    .col(big_integer(a("category_id")))
                    .col(big_integer(a("user_id")))
                    .col(integer_null(a("load_cap")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("panel_members", "edition_id", "editions", true))
                    .foreign_key(&mut fk("panel_members", "category_id", "categories", true))
                    .foreign_key(&mut fk("panel_members", "user_id", "users", true))
                    .to_owned(),
            )
            .await?;
        index(manager, "uq_panel_member", "panel_members", &["category_id", "user_id"], true).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("reviewer_invitations"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("edition_id")))
                    .col(string_len(a("email"), 254))
                    .col(string(a("category_ids")))
                    .col(string_len_uniq(a("token_hash"), 64))
                    .col(timestamp_with_time_zone(a("expires_at")))
                    .col(timestamp_with_time_zone_null(a("used_at")))
                    .col(big_integer_null(a("invited_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("reviewer_invitations", "edition_id", "editions", true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(a("conflicts"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("nomination_id")))
                    .col(big_integer(a("user_id")))
                    .col(string_len(a("source"), 16))
                    .col(text(a("reason")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("conflicts", "nomination_id", "nominations", true))
                    .foreign_key(&mut fk("conflicts", "user_id", "users", true))
                    .to_owned(),
            )
            .await?;
        index(manager, "uq_conflict", "conflicts", &["nomination_id", "user_id"], true).await?;
        index(manager, "idx_conflict_user", "conflicts", &["user_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("rubrics"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("edition_id")))
                    // 0 = the edition's common rubric; otherwise a category's own.
                    .col(big_integer(a("category_id")).default(0))
                    .col(integer(a("round")))
                    .col(integer(a("scale_min")))
                    .col(integer(a("scale_max")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("rubrics", "edition_id", "editions", true))
                    .to_owned(),
            )
            .await?;
        index(manager, "uq_rubric", "rubrics", &["edition_id", "category_id", "round"], true).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("criteria"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("rubric_id")))
                    .col(integer(a("position")))
                    .col(string_len(a("name_ja"), 120))
                    .col(string_len(a("name_en"), 120))
                    .col(text(a("description_ja")))
                    .col(text(a("description_en")))
                    .col(double(a("weight")))
                    .col(text(a("anchors_json")))
                    .col(boolean(a("comment_required")).default(false))
                    .foreign_key(&mut fk("criteria", "rubric_id", "rubrics", true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(a("assignments"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("nomination_id")))
                    .col(big_integer(a("reviewer_id")))
                    .col(integer(a("round")))
                    .col(string_len(a("source"), 16))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("assignments", "nomination_id", "nominations", true))
                    .foreign_key(&mut fk("assignments", "reviewer_id", "users", true))
                    .to_owned(),
            )
            .await?;
        index(manager, "uq_assignment", "assignments", &["nomination_id", "reviewer_id", "round"], true).await?;
        index(manager, "idx_assignment_reviewer", "assignments", &["reviewer_id", "round"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("reviews"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer_uniq(a("assignment_id")))
                    .col(big_integer(a("rubric_id")))
                    .col(string_len(a("status"), 16))
                    .col(text(a("internal_comment")))
                    .col(text(a("comment_to_nominee")))
                    .col(timestamp_with_time_zone_null(a("submitted_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("reviews", "assignment_id", "assignments", true))
                    .foreign_key(&mut fk("reviews", "rubric_id", "rubrics", false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(a("scores"))
                    .col(big_integer(a("review_id")))
                    .col(big_integer(a("criterion_id")))
                    .col(integer(a("value")))
                    .primary_key(Index::create().col(a("review_id")).col(a("criterion_id")))
                    .foreign_key(&mut fk("scores", "review_id", "reviews", true))
                    .foreign_key(&mut fk("scores", "criterion_id", "criteria", false))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_scores_criterion", "scores", &["criterion_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "scores",
            "reviews",
            "assignments",
            "criteria",
            "rubrics",
            "conflicts",
            "reviewer_invitations",
            "panel_members",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
