//! Editions with their stages, categories with extra questions, nominations, the consent of the
//! featured party (state, history, single-use link tokens), attachments and the audit log.
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_create_nominations"
    }
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(from_table, from_col).to(to_table, to_col);
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<Alias>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
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
                    .table(Editions::Table)
                    .col(big_pk_auto(Editions::Id))
                    .col(string_len_uniq(Editions::Slug, 64))
                    .col(string_len(Editions::NameJa, 120))
                    .col(string_len(Editions::NameEn, 120))
                    .col(string_len(Editions::Mode, 24))
                    .col(string_len(Editions::YearLabel, 24))
                    .col(integer(Editions::StartYear))
                    .col(string_len(Editions::CurrentStage, 16).default("setup"))
                    .col(integer(Editions::CurrentRound).default(0))
                    .col(boolean(Editions::BlindReview).default(true))
                    .col(boolean(Editions::ShowPeerScores).default(false))
                    .col(integer(Editions::ReviewersPerNomination).default(3))
                    .col(integer(Editions::MinScoredForNormalisation).default(5))
                    .col(double(Editions::DisagreementThreshold).default(1.0))
                    .col(timestamp_with_time_zone_null(Editions::ResultsPublishedAt))
                    .col(boolean(Editions::IsPast).default(false))
                    .col(timestamp_with_time_zone(Editions::CreatedAt))
                    .col(timestamp_with_time_zone(Editions::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EditionStages::Table)
                    .col(big_pk_auto(EditionStages::Id))
                    .col(big_integer(EditionStages::EditionId))
                    .col(string_len(EditionStages::Kind, 16))
                    .col(integer(EditionStages::Round).default(0))
                    .col(integer(EditionStages::Position))
                    .col(timestamp_with_time_zone_null(EditionStages::StartsAt))
                    .col(timestamp_with_time_zone_null(EditionStages::EndsAt))
                    .foreign_key(&mut fk(
                        EditionStages::Table,
                        EditionStages::EditionId,
                        Editions::Table,
                        Editions::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_stage_kind_round",
            EditionStages::Table,
            vec![Alias::new("edition_id"), Alias::new("kind"), Alias::new("round")],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .col(big_pk_auto(Categories::Id))
                    .col(big_integer(Categories::EditionId))
                    .col(string_len(Categories::Key, 16))
                    .col(string_len(Categories::NameJa, 120))
                    .col(string_len(Categories::NameEn, 120))
                    .col(text(Categories::GuidanceJa))
                    .col(text(Categories::GuidanceEn))
                    .col(integer(Categories::Position))
                    .foreign_key(&mut fk(Categories::Table, Categories::EditionId, Editions::Table, Editions::Id, true))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_category_edition_key",
            Categories::Table,
            vec![Alias::new("edition_id"), Alias::new("key")],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CategoryQuestions::Table)
                    .col(big_pk_auto(CategoryQuestions::Id))
                    .col(big_integer(CategoryQuestions::CategoryId))
                    .col(integer(CategoryQuestions::Position))
                    .col(string_len(CategoryQuestions::Kind, 16))
                    .col(string_len(CategoryQuestions::LabelJa, 200))
                    .col(string_len(CategoryQuestions::LabelEn, 200))
                    .col(text(CategoryQuestions::HelpJa))
                    .col(text(CategoryQuestions::HelpEn))
                    .col(text(CategoryQuestions::OptionsJson))
                    .col(boolean(CategoryQuestions::Required))
                    .col(boolean(CategoryQuestions::Personal))
                    .foreign_key(&mut fk(
                        CategoryQuestions::Table,
                        CategoryQuestions::CategoryId,
                        Categories::Table,
                        Categories::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Nominations::Table)
                    .col(big_pk_auto(Nominations::Id))
                    .col(big_integer(Nominations::EditionId))
                    .col(big_integer(Nominations::CategoryId))
                    .col(big_integer(Nominations::NominatorId))
                    .col(string_len(Nominations::Status, 16))
                    .col(string_len(Nominations::Screening, 16).default("pending"))
                    .col(text(Nominations::ScreeningNote).default(""))
                    .col(timestamp_with_time_zone_null(Nominations::AmendUntil))
                    .col(string_len(Nominations::Outcome, 16).default("undecided"))
                    .col(boolean(Nominations::Shortlisted).default(false))
                    .col(integer(Nominations::Version).default(1))
                    .col(string_len(Nominations::Title, 480))
                    .col(string_len(Nominations::NomineeType, 32))
                    .col(string_len(Nominations::NomineeName, 400))
                    .col(string_len(Nominations::NomineeKana, 400))
                    .col(string_len(Nominations::Region, 16))
                    .col(string_len(Nominations::Industry, 32))
                    .col(string_len(Nominations::OrgSize, 16))
                    .col(text(Nominations::Summary))
                    .col(text(Nominations::SectionsJson))
                    .col(text(Nominations::Links))
                    .col(string_len(Nominations::Relationship, 32))
                    .col(text(Nominations::AnswersJson))
                    .col(string_len(Nominations::FeaturedEmail, 254))
                    .col(timestamp_with_time_zone_null(Nominations::DialogueAckAt))
                    .col(timestamp_with_time_zone_null(Nominations::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Nominations::WithdrawnAt))
                    .col(timestamp_with_time_zone(Nominations::CreatedAt))
                    .col(timestamp_with_time_zone(Nominations::UpdatedAt))
                    .foreign_key(&mut fk(
                        Nominations::Table,
                        Nominations::EditionId,
                        Editions::Table,
                        Editions::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        Nominations::Table,
                        Nominations::CategoryId,
                        Categories::Table,
                        Categories::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(Nominations::Table, Nominations::NominatorId, Users::Table, Users::Id, false))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_nominations_edition",
            Nominations::Table,
            vec![Alias::new("edition_id"), Alias::new("status")],
            false,
        )
        .await?;
        index(manager, "idx_nominations_nominator", Nominations::Table, vec![Alias::new("nominator_id")], false)
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Consents::Table)
                    .col(big_integer(Consents::NominationId).primary_key())
                    .col(string_len(Consents::Status, 16))
                    .col(string_len_null(Consents::Scope, 24))
                    .col(boolean(Consents::Photos).default(false))
                    .col(boolean(Consents::SelfNomination).default(false))
                    .col(timestamp_with_time_zone_null(Consents::RecordedAt))
                    .col(string_len_null(Consents::RecordedByKind, 16))
                    .col(big_integer_null(Consents::RecordedByUser))
                    .col(timestamp_with_time_zone(Consents::UpdatedAt))
                    .foreign_key(&mut fk(
                        Consents::Table,
                        Consents::NominationId,
                        Nominations::Table,
                        Nominations::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsentEvents::Table)
                    .col(big_pk_auto(ConsentEvents::Id))
                    .col(big_integer(ConsentEvents::NominationId))
                    .col(string_len(ConsentEvents::FromStatus, 16))
                    .col(string_len(ConsentEvents::ToStatus, 16))
                    .col(string_len_null(ConsentEvents::Scope, 24))
                    .col(boolean(ConsentEvents::Photos).default(false))
                    .col(string_len(ConsentEvents::ActorKind, 16))
                    .col(big_integer_null(ConsentEvents::ActorUserId))
                    .col(timestamp_with_time_zone(ConsentEvents::At))
                    .foreign_key(&mut fk(
                        ConsentEvents::Table,
                        ConsentEvents::NominationId,
                        Nominations::Table,
                        Nominations::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_consent_events_nomination", ConsentEvents::Table, vec![Alias::new("nomination_id")], false)
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConsentTokens::Table)
                    .col(big_pk_auto(ConsentTokens::Id))
                    .col(big_integer(ConsentTokens::NominationId))
                    .col(string_len(ConsentTokens::Purpose, 16))
                    .col(string_len_uniq(ConsentTokens::TokenHash, 64))
                    .col(string_len(ConsentTokens::Email, 254))
                    .col(timestamp_with_time_zone(ConsentTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ConsentTokens::UsedAt))
                    .col(timestamp_with_time_zone(ConsentTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        ConsentTokens::Table,
                        ConsentTokens::NominationId,
                        Nominations::Table,
                        Nominations::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(big_pk_auto(Attachments::Id))
                    .col(big_integer(Attachments::NominationId))
                    .col(string_len(Attachments::FileName, 200))
                    .col(string_len(Attachments::ContentType, 64))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string_len(Attachments::StorageKey, 200))
                    .col(string_len(Attachments::Sha256, 64))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(&mut fk(
                        Attachments::Table,
                        Attachments::NominationId,
                        Nominations::Table,
                        Nominations::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_attachments_nomination", Attachments::Table, vec![Alias::new("nomination_id")], false)
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(big_integer_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorLabel, 200))
                    .col(string_len(AuditLog::Action, 48))
                    .col(big_integer_null(AuditLog::EditionId))
                    .col(big_integer_null(AuditLog::NominationId))
                    .col(text(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_audit_edition", AuditLog::Table, vec![Alias::new("edition_id"), Alias::new("at")], false)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "attachments",
            "consent_tokens",
            "consent_events",
            "consents",
            "nominations",
            "category_questions",
            "categories",
            "edition_stages",
            "editions",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Editions {
    Table,
    Id,
    Slug,
    NameJa,
    NameEn,
    Mode,
    YearLabel,
    StartYear,
    CurrentStage,
    CurrentRound,
    BlindReview,
    ShowPeerScores,
    ReviewersPerNomination,
    MinScoredForNormalisation,
    DisagreementThreshold,
    ResultsPublishedAt,
    IsPast,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EditionStages {
    Table,
    Id,
    EditionId,
    Kind,
    Round,
    Position,
    StartsAt,
    EndsAt,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    EditionId,
    Key,
    NameJa,
    NameEn,
    GuidanceJa,
    GuidanceEn,
    Position,
}

#[derive(DeriveIden)]
enum CategoryQuestions {
    Table,
    Id,
    CategoryId,
    Position,
    Kind,
    LabelJa,
    LabelEn,
    HelpJa,
    HelpEn,
    OptionsJson,
    Required,
    Personal,
}

#[derive(DeriveIden)]
enum Nominations {
    Table,
    Id,
    EditionId,
    CategoryId,
    NominatorId,
    Status,
    Screening,
    ScreeningNote,
    AmendUntil,
    Outcome,
    Shortlisted,
    Version,
    Title,
    NomineeType,
    NomineeName,
    NomineeKana,
    Region,
    Industry,
    OrgSize,
    Summary,
    SectionsJson,
    Links,
    Relationship,
    AnswersJson,
    FeaturedEmail,
    DialogueAckAt,
    SubmittedAt,
    WithdrawnAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    NominationId,
    Status,
    Scope,
    Photos,
    SelfNomination,
    RecordedAt,
    RecordedByKind,
    RecordedByUser,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConsentEvents {
    Table,
    Id,
    NominationId,
    FromStatus,
    ToStatus,
    Scope,
    Photos,
    ActorKind,
    ActorUserId,
    At,
}

#[derive(DeriveIden)]
enum ConsentTokens {
    Table,
    Id,
    NominationId,
    Purpose,
    TokenHash,
    Email,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    NominationId,
    FileName,
    ContentType,
    SizeBytes,
    StorageKey,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    Action,
    EditionId,
    NominationId,
    Detail,
}
