//! The archive's records, badges, tags, synonyms, version counter and search index. The index
//! SQL differs by backend (FTS5 on SQLite, tsvector on PostgreSQL); both are here, side by side.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, DatabaseBackend, QueryOrder, Statement};

use crate::domain::search::{fts5_match, pg_condition, Query};
use crate::server::entities::{practice, practice_badge, practice_tag, synonym};

/// One named counter of `archive_meta` (0 if the row is missing).
pub async fn meta_value<C: ConnectionTrait>(c: &C, name: &str) -> Result<i64, DbErr> {
    let row = c
        .query_one_raw(Statement::from_sql_and_values(
            c.get_database_backend(),
            match c.get_database_backend() {
                DatabaseBackend::Postgres => "SELECT value FROM archive_meta WHERE name = $1",
                _ => "SELECT value FROM archive_meta WHERE name = ?",
            },
            [name.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}

async fn bump_meta<C: ConnectionTrait>(c: &C, name: &str) -> Result<(), DbErr> {
    c.execute_raw(Statement::from_sql_and_values(
        c.get_database_backend(),
        match c.get_database_backend() {
            DatabaseBackend::Postgres => "UPDATE archive_meta SET value = value + 1 WHERE name = $1",
            _ => "UPDATE archive_meta SET value = value + 1 WHERE name = ?",
        },
        [name.into()],
    ))
    .await
    .map(|_| ())
}

pub async fn version<C: ConnectionTrait>(c: &C) -> Result<i64, DbErr> {
    meta_value(c, "version").await
}

/// Every change that shows on a public surface bumps this, in the same transaction.
/// (Other server processes hear of it when the transaction commits: see `Tx::commit`.)
pub async fn bump_version<C: ConnectionTrait>(c: &C) -> Result<(), DbErr> {
    bump_meta(c, "version").await
}

/// The forum's counter beside the archive's: moves with every change an event page shows.
pub async fn bump_forum_version<C: ConnectionTrait>(c: &C) -> Result<(), DbErr> {
    bump_meta(c, "forum").await
}

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<practice::Model>, DbErr> {
    practice::Entity::find_by_id(id).one(c).await
}

pub async fn find_by_nomination<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
) -> Result<Option<practice::Model>, DbErr> {
    practice::Entity::find().filter(practice::Column::NominationId.eq(nomination_id)).one(c).await
}

pub async fn by_ids<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<practice::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    practice::Entity::find().filter(practice::Column::Id.is_in(ids.to_vec())).all(c).await
}

pub async fn list_all<C: ConnectionTrait>(c: &C) -> Result<Vec<practice::Model>, DbErr> {
    practice::Entity::find().order_by_desc(practice::Column::Id).all(c).await
}

pub async fn published<C: ConnectionTrait>(c: &C) -> Result<Vec<practice::Model>, DbErr> {
    practice::Entity::find()
        .filter(practice::Column::Status.eq("published"))
        .order_by_desc(practice::Column::PublishedAt)
        .order_by_desc(practice::Column::Id)
        .all(c)
        .await
}

/// The facet columns of one published record, as the in-process snapshot reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRow<'a> {
    pub id: i64,
    /// Seconds since the epoch (0 when unknown).
    pub published: i64,
    pub category: &'a str,
    pub region: &'a str,
    /// The edition id as text (empty when none).
    pub edition: &'a str,
    pub industry: &'a str,
    pub org_size: &'a str,
}

/// Separators of the aggregated reads below: ASCII unit and record separators, which no code
/// value holds (and a tag cannot: tags are read as a column of their own).
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The few columns the in-process facet snapshot needs, for every published record — read as
/// one aggregated text value, not one driver row per record: at 100,000 records the row-wise
/// read allocated hundreds of megabytes that the allocator then kept.
/// The facet columns of every published record, as one aggregated text; read its rows with
/// `facet_rows` (borrowed, so 100,000 records cost no String per value while they are read).
pub async fn published_facets<C: ConnectionTrait>(c: &C) -> Result<String, DbErr> {
    let sql = match c.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT string_agg(id::text || chr(31) || coalesce(floor(extract(epoch FROM published_at))::bigint, 0)::text \
             || chr(31) || category || chr(31) || region || chr(31) || coalesce(edition_id::text, '') \
             || chr(31) || industry || chr(31) || org_size, chr(30)) FROM practices WHERE status = 'published'"
        }
        _ => {
            "SELECT group_concat(id || char(31) || coalesce(CAST(strftime('%s', published_at) AS INTEGER), 0) \
             || char(31) || category || char(31) || region || char(31) || coalesce(edition_id, '') \
             || char(31) || industry || char(31) || org_size, char(30)) FROM practices WHERE status = 'published'"
        }
    };
    super::aggregated_text(c, Statement::from_string(c.get_database_backend(), sql)).await
}

/// The rows of `published_facets`' text; an unreadable row is an error, never skipped.
pub fn facet_rows(text: &str) -> impl Iterator<Item = Result<FacetRow<'_>, DbErr>> {
    text.split(RECORD).filter(|r| !r.is_empty()).map(parse_facet_row)
}

fn parse_facet_row(r: &str) -> Result<FacetRow<'_>, DbErr> {
    let bad = || DbErr::Type(format!("unreadable facet row: {r:?}"));
    let mut f = r.split(UNIT);
    let mut next = || f.next().ok_or_else(bad);
    let (id, published, category, region, edition, industry, org_size) =
        (next()?, next()?, next()?, next()?, next()?, next()?, next()?);
    if f.next().is_some() || !(edition.is_empty() || edition.parse::<i64>().is_ok()) {
        return Err(bad());
    }
    Ok(FacetRow {
        id: id.parse().map_err(|_| bad())?,
        published: published.parse().map_err(|_| bad())?,
        category,
        region,
        edition,
        industry,
        org_size,
    })
}

/// Every tag of a published record with the ids that carry it: one row per distinct tag, the ids
/// aggregated (a tag is read as its own column, so no separator can collide with its text).
pub async fn published_tags<C: ConnectionTrait>(c: &C) -> Result<Vec<(String, Vec<i64>)>, DbErr> {
    grouped_ids(
        c,
        "t.tag",
        "t.practice_id",
        "practice_tags t JOIN practices p ON p.id = t.practice_id WHERE p.status = 'published'",
    )
    .await
}

/// Every badge kind with the ids of the records that hold it (four rows at most).
pub async fn badge_holders<C: ConnectionTrait>(c: &C) -> Result<Vec<(String, Vec<i64>)>, DbErr> {
    grouped_ids(c, "b.kind", "b.practice_id", "practice_badges b").await
}

/// `SELECT key, <ids aggregated> FROM from GROUP BY key`: one driver row per key, not per id.
async fn grouped_ids<C: ConnectionTrait>(
    c: &C,
    key: &str,
    id: &str,
    from: &str,
) -> Result<Vec<(String, Vec<i64>)>, DbErr> {
    let agg = match c.get_database_backend() {
        DatabaseBackend::Postgres => format!("string_agg({id}::text, ',')"),
        _ => format!("group_concat({id})"),
    };
    let rows = c
        .query_all_raw(Statement::from_string(
            c.get_database_backend(),
            format!("SELECT {key}, {agg} FROM {from} GROUP BY {key} ORDER BY {key}"),
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let group = r.try_get_by_index::<String>(0)?;
            let ids = r.try_get_by_index::<Option<String>>(1)?.unwrap_or_default();
            let ids = ids
                .split(',')
                .filter(|x| !x.is_empty())
                .map(|x| x.parse::<i64>().map_err(|_| DbErr::Type(format!("unreadable id list of {group:?}"))))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((group, ids))
        })
        .collect()
}

pub async fn badges_of<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<practice_badge::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    practice_badge::Entity::find()
        .filter(practice_badge::Column::PracticeId.is_in(ids.to_vec()))
        .order_by_asc(practice_badge::Column::Year)
        .all(c)
        .await
}

pub async fn tags_of<C: ConnectionTrait>(c: &C, id: i64) -> Result<Vec<String>, DbErr> {
    Ok(practice_tag::Entity::find()
        .filter(practice_tag::Column::PracticeId.eq(id))
        .all(c)
        .await?
        .into_iter()
        .map(|t| t.tag)
        .collect())
}

pub async fn set_tags<C: ConnectionTrait>(c: &C, id: i64, tags: &[String]) -> Result<(), DbErr> {
    practice_tag::Entity::delete_many().filter(practice_tag::Column::PracticeId.eq(id)).exec(c).await?;
    let mut seen = HashSet::new();
    let rows: Vec<practice_tag::ActiveModel> = tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .map(|t| practice_tag::ActiveModel { practice_id: Set(id), tag: Set(t) })
        .collect();
    if !rows.is_empty() {
        practice_tag::Entity::insert_many(rows).exec(c).await?;
    }
    Ok(())
}

pub async fn add_badge<C: ConnectionTrait>(
    c: &C,
    id: i64,
    kind: &str,
    edition_id: Option<i64>,
    label: &str,
    year: i32,
) -> Result<(), DbErr> {
    let exists = practice_badge::Entity::find()
        .filter(practice_badge::Column::PracticeId.eq(id))
        .filter(practice_badge::Column::Kind.eq(kind))
        .filter(practice_badge::Column::EditionLabel.eq(label))
        .one(c)
        .await?
        .is_some();
    if !exists {
        practice_badge::ActiveModel {
            practice_id: Set(id),
            kind: Set(crate::domain::archive::BadgeKind::parse(kind)
                .ok_or_else(|| DbErr::Custom(format!("unknown badge {kind:?}")))?),
            edition_id: Set(edition_id),
            edition_label: Set(label.into()),
            year: Set(year),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Replaces the record's tokens in the index (title and body, sequence and unigram lists).
pub async fn index<C: ConnectionTrait>(
    c: &C,
    id: i64,
    t_seq: &str,
    t_uni: &str,
    b_seq: &str,
    b_uni: &str,
) -> Result<(), DbErr> {
    let backend = c.get_database_backend();
    unindex(c, id).await?;
    match backend {
        DatabaseBackend::Sqlite => {
            c.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO practice_fts (rowid, t_seq, t_uni, b_seq, b_uni) VALUES (?, ?, ?, ?, ?)",
                [id.into(), t_seq.into(), t_uni.into(), b_seq.into(), b_uni.into()],
            ))
            .await?;
        }
        _ => {
            // `zsep` keeps a phrase from running across the end of the title into the body.
            let a_seq = format!("{t_seq} zsep {b_seq}");
            let a_uni = format!("{t_uni} {b_uni}");
            c.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO practice_search (practice_id, t_seq, t_uni, a_seq, a_uni) VALUES ($1, to_tsvector('simple', $2), to_tsvector('simple', $3), to_tsvector('simple', $4), to_tsvector('simple', $5))",
                [id.into(), t_seq.into(), t_uni.into(), a_seq.into(), a_uni.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

pub async fn unindex<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    let backend = c.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => "DELETE FROM practice_fts WHERE rowid = ?",
        _ => "DELETE FROM practice_search WHERE practice_id = $1",
    };
    c.execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()])).await.map(|_| ())
}

/// Ids of records matching the query anywhere, and of those matching it within the title.
/// Each list comes back as one aggregated text column: a common word matches most of the
/// archive, and one row instead of tens of thousands keeps the driver out of the way.
pub async fn search_ids<C: ConnectionTrait>(c: &C, q: &Query) -> Result<(Vec<i64>, Vec<i64>), DbErr> {
    let backend = c.get_database_backend();
    let (all, title) = match backend {
        DatabaseBackend::Sqlite => {
            let sql = "SELECT group_concat(rowid) FROM practice_fts WHERE practice_fts MATCH ?";
            let all = fts5_match(q, "t_seq b_seq", "t_uni b_uni");
            let title = fts5_match(q, "t_seq", "t_uni");
            (
                super::aggregated_text(c, Statement::from_sql_and_values(backend, sql, [all.into()])).await?,
                super::aggregated_text(c, Statement::from_sql_and_values(backend, sql, [title.into()])).await?,
            )
        }
        _ => {
            let query = |cond: String, params: Vec<String>| {
                Statement::from_sql_and_values(
                    backend,
                    format!("SELECT string_agg(practice_id::text, ',') FROM practice_search WHERE {cond}"),
                    params.into_iter().map(Into::into),
                )
            };
            let (cond, params) = pg_condition(q, "a_seq", "a_uni", 1);
            let all = super::aggregated_text(c, query(cond, params)).await?;
            let (cond, params) = pg_condition(q, "t_seq", "t_uni", 1);
            (all, super::aggregated_text(c, query(cond, params)).await?)
        }
    };
    let parse = |text: String| -> Result<Vec<i64>, DbErr> {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<i64>().map_err(|e| DbErr::Custom(format!("search index returned {s:?}: {e}"))))
            .collect()
    };
    Ok((parse(all)?, parse(title)?))
}

pub async fn synonyms<C: ConnectionTrait>(c: &C) -> Result<Vec<synonym::Model>, DbErr> {
    synonym::Entity::find().order_by_asc(synonym::Column::Id).all(c).await
}

pub async fn add_synonyms<C: ConnectionTrait>(c: &C, words: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    synonym::ActiveModel { words: Set(words.into()), created_at: Set(now), ..Default::default() }
        .insert(c)
        .await
        .map(|_| ())
}

pub async fn delete_synonyms<C: ConnectionTrait>(c: &C, id: i64) -> Result<u64, DbErr> {
    synonym::Entity::delete_by_id(id).exec(c).await.map(|r| r.rows_affected)
}

pub async fn count_published<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    practice::Entity::find().filter(practice::Column::Status.eq("published")).count(c).await
}

/// Slugs and change dates of published records in id order, a page at a time (the sitemap
/// reads nothing else).
pub async fn published_slugs<C: ConnectionTrait>(
    c: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<(String, DateTime<Utc>)>, DbErr> {
    use sea_orm::QuerySelect;
    practice::Entity::find()
        .select_only()
        .column(practice::Column::Slug)
        .column(practice::Column::UpdatedAt)
        .filter(practice::Column::Status.eq("published"))
        .order_by_asc(practice::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await
}

/// The newest published records, `limit` of them.
pub async fn latest_published<C: ConnectionTrait>(c: &C, limit: u64) -> Result<Vec<practice::Model>, DbErr> {
    use sea_orm::QuerySelect;
    practice::Entity::find()
        .filter(practice::Column::Status.eq("published"))
        .order_by_desc(practice::Column::PublishedAt)
        .order_by_desc(practice::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Records with a pending public text waiting for sign-off.
pub async fn with_pending_drafts<C: ConnectionTrait>(c: &C) -> Result<Vec<practice::Model>, DbErr> {
    use sea_orm::QuerySelect;
    practice::Entity::find()
        .filter(practice::Column::DraftJson.is_not_null())
        .filter(practice::Column::Status.is_in(["draft", "published"]))
        .order_by_asc(practice::Column::Id)
        .limit(500)
        .all(c)
        .await
}

/// The featured person erased their details: the record made from that nomination forgets the
/// name too (it is already withdrawn by the same transaction's consent change).
pub async fn forget_nominee_name<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), DbErr> {
    practice::Entity::update_many()
        .col_expr(practice::Column::NomineeName, Expr::value(""))
        .filter(practice::Column::NominationId.eq(nomination_id))
        .exec(c)
        .await
        .map(|_| ())
}
