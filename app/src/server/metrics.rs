//! Process metrics in the Prometheus text format: request latency by route, page and search
//! caches (hits, misses, bytes), database pool use and write-transaction wait, the outbox
//! backlog. Counters are plain atomics; nothing here allocates on the request path except the
//! first time a route is seen.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 13] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Sum in microseconds.
    sum_us: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        for (i, le) in BUCKETS.iter().enumerate() {
            if s <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, le) in BUCKETS.iter().enumerate() {
            let _ =
                writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{le}\"}} {}", self.buckets[i].load(Ordering::Relaxed));
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum_us.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
    }
}

/// (route pattern, method, status class) → latency.
type RouteKey = (String, String, &'static str);

#[derive(Default)]
pub struct Metrics {
    routes: RwLock<BTreeMap<RouteKey, Arc<Histogram>>>,
    pub page_cache_hits: AtomicU64,
    pub page_cache_misses: AtomicU64,
    /// Refused a place in the page cache (no results, not admitted).
    pub page_cache_skipped: AtomicU64,
    /// Anonymous searches answered with the busy page: the slow lane had no room.
    pub slow_lane_refused: AtomicU64,
    pub search_memo_hits: AtomicU64,
    pub search_memo_misses: AtomicU64,
    /// Transactions run again after PostgreSQL rolled them back as a serialisation or deadlock victim.
    pub contended_retries: AtomicU64,
    /// Time a write transaction waited to begin (the in-process writer queue and `BEGIN`).
    pub db_begin_wait: Histogram,
    /// Requests answered 503 because the database stayed busy.
    pub busy_responses: AtomicU64,
}

pub fn global() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(Metrics::default)
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

impl Metrics {
    pub fn observe_request(&self, route: &str, method: &str, status: u16, d: Duration) {
        let key = (route.to_string(), method.to_string(), status_class(status));
        if let Some(h) = self.routes.read().ok().and_then(|m| m.get(&key).cloned()) {
            h.observe(d);
            return;
        }
        if let Ok(mut m) = self.routes.write() {
            // Routes are patterns and methods a fixed set, so this stays small; should it ever
            // reach the bound, further series are counted together as route "other".
            let key = if m.len() < 2000 || m.contains_key(&key) { key } else { ("other".into(), key.1, key.2) };
            m.entry(key).or_default().observe(d);
        }
    }

    /// The text exposition. `gauges` are sampled by the caller at scrape time.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str(
            "# HELP gp_http_request_duration_seconds Request latency by route pattern, method and status class.\n",
        );
        out.push_str("# TYPE gp_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.routes.read() {
            for ((route, method, class), h) in m.iter() {
                let route = route.replace('\\', "\\\\").replace('"', "\\\"");
                h.render(
                    &mut out,
                    "gp_http_request_duration_seconds",
                    &format!("route=\"{route}\",method=\"{method}\",status=\"{class}\""),
                );
            }
        }
        for (name, help, v) in [
            ("gp_page_cache_hits_total", "Anonymous pages answered from the page cache.", &self.page_cache_hits),
            ("gp_page_cache_misses_total", "Cacheable requests that had to be rendered.", &self.page_cache_misses),
            (
                "gp_page_cache_skipped_total",
                "Rendered pages not kept (no results or not admitted).",
                &self.page_cache_skipped,
            ),
            (
                "gp_slow_lane_refused_total",
                "Anonymous searches answered 503: too many already waiting to be rendered.",
                &self.slow_lane_refused,
            ),
            ("gp_search_memo_hits_total", "Searches answered from the per-version memo.", &self.search_memo_hits),
            ("gp_search_memo_misses_total", "Searches that went to the index.", &self.search_memo_misses),
            (
                "gp_db_contended_retries_total",
                "Write transactions run again after a serialisation failure or deadlock.",
                &self.contended_retries,
            ),
            (
                "gp_busy_responses_total",
                "Requests answered 503 because the database stayed busy.",
                &self.busy_responses,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", v.load(Ordering::Relaxed));
        }
        out.push_str("# HELP gp_db_begin_wait_seconds Time a write transaction waited to begin.\n");
        out.push_str("# TYPE gp_db_begin_wait_seconds histogram\n");
        self.db_begin_wait.render(&mut out, "gp_db_begin_wait_seconds", "");
        for (name, help, v) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_into_every_bucket_at_or_above_the_value() {
        let m = Metrics::default();
        m.observe_request("/archive", "GET", 200, Duration::from_millis(3));
        m.observe_request("/archive", "GET", 200, Duration::from_millis(300));
        m.observe_request("/archive", "GET", 503, Duration::from_millis(1));
        let text = m.render(&[("gp_outbox_pending", "Mail waiting.", 4.0)]);
        assert!(text.contains("gp_http_request_duration_seconds_bucket{route=\"/archive\",method=\"GET\",status=\"2xx\",le=\"0.005\"} 1"), "{text}");
        assert!(text.contains(
            "gp_http_request_duration_seconds_bucket{route=\"/archive\",method=\"GET\",status=\"2xx\",le=\"0.5\"} 2"
        ));
        assert!(
            text.contains("gp_http_request_duration_seconds_count{route=\"/archive\",method=\"GET\",status=\"5xx\"} 1")
        );
        assert!(text.contains("gp_outbox_pending 4"));
    }
}
