//! The archive's feeds for machines: a sitemap index of files of at most `SITEMAP_URLS` URLs
//! (the protocol's limit is 50,000), built from ids and slugs only, and the Atom feed of the
//! newest 50 records. Each is built when asked for: the server keeps what it sends once per
//! archive version (`server::public::Docs`). Only the number of sitemap files is memoised here,
//! so a made-up file number is answered without a query.
use std::sync::Arc;

use crate::error::AppError;
use crate::server::{repo, AppState};

use super::index::current_version;

/// URLs per sitemap file: the sitemap protocol allows at most 50,000.
pub const SITEMAP_URLS: u64 = 50_000;
/// Entries in the Atom feed.
pub const FEED_ENTRIES: u64 = 50;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// Pages that are not records, listed in the first sitemap file.
const STATIC_PAGES: [&str; 4] = ["/", "/archive", "/dialogue-rules", "/privacy"];

/// A document for the current archive version: from the per-version memo, or built now.
async fn memoised<F, Fut>(state: &AppState, key: String, build: F) -> Result<Arc<String>, AppError>
where
    F: FnOnce(i64) -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let version = current_version(state).await?;
    if let Some(doc) = state.archive.feed(&key, version) {
        return Ok(doc);
    }
    let doc = Arc::new(build(version).await?);
    state.archive.keep_feed(key, version, doc.clone());
    Ok(doc)
}

/// How many sitemap files the current version has (at least one: the static pages).
async fn sitemap_files(state: &AppState) -> Result<u64, AppError> {
    let doc = memoised(state, "sitemap-files".into(), |_| async move {
        let total = repo::archive::count_published(state.db.conn()).await?;
        Ok(total.div_ceil(SITEMAP_URLS).max(1).to_string())
    })
    .await?;
    Ok(doc.parse().unwrap_or(1))
}

/// `/sitemap.xml`: the index of the sitemap files.
pub async fn sitemap_index(state: &AppState) -> Result<Arc<String>, AppError> {
    let files = sitemap_files(state).await?;
    let base = &state.config.public_url;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for i in 1..=files {
        out.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", xml_escape(&format!("{base}/sitemaps/{i}.xml"))));
    }
    out.push_str("</sitemapindex>\n");
    Ok(Arc::new(out))
}

/// `/sitemaps/{n}.xml`: the n-th file (from 1), or `None` past the last one. Built on every
/// call and not kept here: a full file is about 5 MB of text, so its caller keeps it once per
/// archive version in the form it sends (the server keeps only its gzip).
pub async fn sitemap_file(state: &AppState, n: u64) -> Result<Option<Arc<String>>, AppError> {
    // Only the files the index lists exist: any other number is answered before a query runs
    // (so made-up numbers cannot make the database work).
    let files = sitemap_files(state).await?;
    if n == 0 || n > files {
        return Ok(None);
    }
    let rows = repo::archive::published_slugs(state.db.conn(), (n - 1) * SITEMAP_URLS, SITEMAP_URLS).await?;
    if rows.is_empty() && n > 1 {
        return Ok(None);
    }
    let base = &state.config.public_url;
    let mut out = String::with_capacity(rows.len() * 110 + 256);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if n == 1 {
        for path in STATIC_PAGES {
            out.push_str(&format!("<url><loc>{}</loc></url>\n", xml_escape(&format!("{base}{path}"))));
        }
    }
    for (slug, updated) in rows {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&format!("{base}/practices/{slug}")),
            updated.format("%Y-%m-%d")
        ));
    }
    out.push_str("</urlset>\n");
    Ok(Some(Arc::new(out)))
}

/// `/feed.atom`: the newest records, reading only the rows it shows.
pub async fn feed(state: &AppState) -> Result<Arc<String>, AppError> {
    let base = &state.config.public_url;
    let items = repo::archive::latest_published(state.db.conn(), FEED_ENTRIES).await?;
    let updated = items.first().and_then(|p| p.published_at).unwrap_or_else(chrono::Utc::now);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n<title>ゆらぎと対話 グッドプラクティス — 新着の実践</title>\n<id>{base}/feed.atom</id>\n<link rel=\"self\" href=\"{base}/feed.atom\"/>\n<link href=\"{base}/archive\"/>\n<updated>{}</updated>\n",
        updated.to_rfc3339()
    );
    for p in items {
        let url = format!("{base}/practices/{}", p.slug);
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{}</updated><summary>{}</summary></entry>\n",
            xml_escape(&p.title),
            xml_escape(&url),
            xml_escape(&url),
            p.published_at.unwrap_or(p.updated_at).to_rfc3339(),
            xml_escape(&p.summary)
        ));
    }
    out.push_str("</feed>\n");
    Ok(Arc::new(out))
}
