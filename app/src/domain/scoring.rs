//! Aggregating scores: weighted means per review, per-reviewer normalisation (z-scores mapped
//! back onto the rubric's scale), disagreement and incompleteness flags, and a ranking per
//! category with documented tie-breaks. Pure and deterministic.
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weight {
    pub criterion: i64,
    pub weight: f64,
}

/// One reviewer's sheet for one nomination. `scores` follows the order of the weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub reviewer: i64,
    pub nomination: i64,
    pub scores: Vec<Option<f64>>,
    pub submitted: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Below this many submitted sheets a reviewer's raw scores are used, and flagged.
    pub min_scored: usize,
    /// A nomination whose reviewers' totals spread (standard deviation) more than this is flagged.
    pub disagreement_threshold: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetResult {
    pub reviewer: i64,
    pub nomination: i64,
    pub raw: f64,
    pub normalised: f64,
    /// Some criteria were left unscored; the mean is over the scored ones.
    pub incomplete: bool,
    /// Normalisation was not possible for this reviewer (too few sheets, or no spread).
    pub raw_used: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationResult {
    pub nomination: i64,
    pub category: i64,
    pub raw_mean: Option<f64>,
    pub normalised_mean: Option<f64>,
    /// Submitted sheets counted.
    pub reviews: usize,
    pub assigned: usize,
    pub spread: Option<f64>,
    pub disagreement: bool,
    /// Fewer submitted sheets than assigned reviewers, or a sheet with unscored criteria.
    pub incomplete: bool,
    pub any_raw_used: bool,
    pub criterion_means: Vec<Option<f64>>,
    /// 1-based rank within the category; equal on every ranking key means an equal rank.
    pub rank: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewerStats {
    pub reviewer: i64,
    pub count: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub normalised: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub sheets: Vec<SheetResult>,
    pub nominations: Vec<NominationResult>,
    pub reviewers: Vec<ReviewerStats>,
}

/// The weighted mean of the scored criteria (`None` when nothing is scored or weights are zero).
pub fn weighted_mean(weights: &[Weight], scores: &[Option<f64>]) -> Option<f64> {
    let (mut sum, mut total) = (0.0, 0.0);
    for (w, s) in weights.iter().zip(scores) {
        if let Some(s) = s {
            sum += w.weight * s;
            total += w.weight;
        }
    }
    (total > 0.0).then(|| sum / total)
}

fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var.sqrt()))
}

const EPS: f64 = 1e-9;

/// Aggregates the sheets of one round. `entries` gives every nomination to rank with its
/// category and its number of assigned reviewers (a nomination nobody scored is listed unranked).
pub fn aggregate(weights: &[Weight], sheets: &[Sheet], entries: &[(i64, i64, usize)], settings: Settings) -> Aggregate {
    let submitted: Vec<&Sheet> = sheets.iter().filter(|s| s.submitted).collect();

    // Raw totals per sheet.
    let mut raw: Vec<(&Sheet, f64, bool)> = Vec::with_capacity(submitted.len());
    for s in &submitted {
        if let Some(m) = weighted_mean(weights, &s.scores) {
            let incomplete = s.scores.len() < weights.len() || s.scores.iter().take(weights.len()).any(Option::is_none);
            raw.push((s, m, incomplete));
        }
    }

    // Per reviewer: mean and spread of their own totals.
    let mut by_reviewer: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (s, m, _) in &raw {
        by_reviewer.entry(s.reviewer).or_default().push(*m);
    }
    let all: Vec<f64> = raw.iter().map(|(_, m, _)| *m).collect();
    let (grand_mean, grand_sd) = mean_sd(&all).unwrap_or((0.0, 0.0));
    let reviewer_norm: HashMap<i64, Option<(f64, f64)>> = by_reviewer
        .iter()
        .map(|(r, values)| {
            let stats = mean_sd(values).filter(|(_, sd)| values.len() >= settings.min_scored && *sd > EPS);
            (*r, stats)
        })
        .collect();

    let sheet_results: Vec<SheetResult> = raw
        .iter()
        .map(|(s, m, incomplete)| {
            let (normalised, raw_used) = match reviewer_norm.get(&s.reviewer).copied().flatten() {
                Some((mean, sd)) => (grand_mean + grand_sd * (m - mean) / sd, false),
                None => (*m, true),
            };
            SheetResult {
                reviewer: s.reviewer,
                nomination: s.nomination,
                raw: *m,
                normalised,
                incomplete: *incomplete,
                raw_used,
            }
        })
        .collect();

    let reviewers = by_reviewer
        .iter()
        .map(|(r, values)| {
            let stats = mean_sd(values);
            ReviewerStats {
                reviewer: *r,
                count: values.len(),
                mean: stats.map(|s| s.0),
                spread: stats.map(|s| s.1),
                normalised: reviewer_norm.get(r).copied().flatten().is_some(),
            }
        })
        .collect();

    // Per nomination.
    let mut per_nom: HashMap<i64, Vec<&SheetResult>> = HashMap::new();
    for r in &sheet_results {
        per_nom.entry(r.nomination).or_default().push(r);
    }
    let mut per_nom_scores: HashMap<i64, Vec<&Sheet>> = HashMap::new();
    for (s, _, _) in &raw {
        per_nom_scores.entry(s.nomination).or_default().push(s);
    }
    let mut nominations: Vec<NominationResult> = entries
        .iter()
        .map(|&(nomination, category, assigned)| {
            let rs = per_nom.get(&nomination).map(Vec::as_slice).unwrap_or(&[]);
            let raws: Vec<f64> = rs.iter().map(|r| r.raw).collect();
            let norms: Vec<f64> = rs.iter().map(|r| r.normalised).collect();
            let raw_stats = mean_sd(&raws);
            let spread = raw_stats.map(|s| s.1);
            let criterion_means = (0..weights.len())
                .map(|i| {
                    let vals: Vec<f64> = per_nom_scores
                        .get(&nomination)
                        .map(|v| v.iter().filter_map(|s| s.scores.get(i).copied().flatten()).collect())
                        .unwrap_or_default();
                    mean_sd(&vals).map(|s| s.0)
                })
                .collect();
            NominationResult {
                nomination,
                category,
                raw_mean: raw_stats.map(|s| s.0),
                normalised_mean: mean_sd(&norms).map(|s| s.0),
                reviews: rs.len(),
                assigned,
                spread,
                disagreement: rs.len() >= 2 && spread.is_some_and(|sd| sd > settings.disagreement_threshold + EPS),
                incomplete: rs.len() < assigned || rs.iter().any(|r| r.incomplete),
                any_raw_used: rs.iter().any(|r| r.raw_used),
                criterion_means,
                rank: None,
            }
        })
        .collect();
    rank(&mut nominations);
    Aggregate { sheets: sheet_results, nominations, reviewers }
}

/// Ranking within each category, best first. Tie-breaks, in order:
///
/// 1. higher normalised mean;
/// 2. higher raw mean;
/// 3. more submitted reviews;
/// 4. smaller spread between reviewers (more agreement).
///
/// Entries equal on all four share a rank (1, 1, 3) and are listed by nomination id.
/// Unscored entries are not ranked.
pub fn rank(results: &mut [NominationResult]) {
    let key = |r: &NominationResult| {
        (
            -(r.normalised_mean.unwrap_or(f64::NEG_INFINITY)),
            -(r.raw_mean.unwrap_or(f64::NEG_INFINITY)),
            -(r.reviews as f64),
            r.spread.unwrap_or(f64::INFINITY),
        )
    };
    let cmp_keys = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
        let c = |x: f64, y: f64| {
            if (x - y).abs() <= EPS {
                std::cmp::Ordering::Equal
            } else {
                x.total_cmp(&y)
            }
        };
        c(a.0, b.0).then(c(a.1, b.1)).then(c(a.2, b.2)).then(c(a.3, b.3))
    };
    results.sort_by(|a, b| {
        a.category.cmp(&b.category).then(cmp_keys(&key(a), &key(b))).then(a.nomination.cmp(&b.nomination))
    });
    let mut i = 0;
    while i < results.len() {
        let cat = results[i].category;
        let mut position = 0;
        let mut last: Option<((f64, f64, f64, f64), usize)> = None;
        while i < results.len() && results[i].category == cat {
            if results[i].normalised_mean.is_some() {
                position += 1;
                let k = key(&results[i]);
                let r = match last {
                    Some((lk, lr)) if cmp_keys(&lk, &k) == std::cmp::Ordering::Equal => lr,
                    _ => position,
                };
                results[i].rank = Some(r);
                last = Some((k, r));
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(weights: &[f64]) -> Vec<Weight> {
        weights.iter().enumerate().map(|(i, w)| Weight { criterion: i as i64 + 1, weight: *w }).collect()
    }

    fn sheet(reviewer: i64, nomination: i64, scores: &[Option<f64>]) -> Sheet {
        Sheet { reviewer, nomination, scores: scores.to_vec(), submitted: true }
    }

    fn s(v: f64) -> Option<f64> {
        Some(v)
    }

    const LOOSE: Settings = Settings { min_scored: 2, disagreement_threshold: 1.0 };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn weights_shape_the_mean() {
        let weights = w(&[2.0, 1.0, 1.0]);
        assert!(close(weighted_mean(&weights, &[s(5.0), s(3.0), s(1.0)]).unwrap(), 3.5));
        assert!(close(weighted_mean(&w(&[1.0, 1.0]), &[s(4.0), s(2.0)]).unwrap(), 3.0));
        assert_eq!(weighted_mean(&weights, &[None, None, None]), None);
        assert_eq!(weighted_mean(&w(&[0.0]), &[s(5.0)]), None);
    }

    #[test]
    fn missing_scores_are_averaged_over_what_was_scored_and_flagged() {
        let weights = w(&[1.0, 1.0, 1.0]);
        let a = aggregate(&weights, &[sheet(1, 10, &[s(4.0), None, s(2.0)])], &[(10, 1, 1)], LOOSE);
        assert!(close(a.sheets[0].raw, 3.0));
        assert!(a.sheets[0].incomplete && a.nominations[0].incomplete);
    }

    #[test]
    fn a_single_reviewer_is_used_raw_and_flagged() {
        let weights = w(&[1.0]);
        let a = aggregate(&weights, &[sheet(1, 10, &[s(4.0)])], &[(10, 1, 1)], LOOSE);
        assert!(a.sheets[0].raw_used);
        assert!(close(a.nominations[0].normalised_mean.unwrap(), 4.0));
        assert!(a.nominations[0].any_raw_used);
        assert_eq!(a.nominations[0].rank, Some(1));
        assert!(!a.reviewers[0].normalised);
    }

    #[test]
    fn all_equal_scores_have_no_spread_and_stay_raw() {
        let weights = w(&[1.0]);
        let sheets = vec![sheet(1, 10, &[s(3.0)]), sheet(1, 11, &[s(3.0)]), sheet(1, 12, &[s(3.0)])];
        let a = aggregate(&weights, &sheets, &[(10, 1, 1), (11, 1, 1), (12, 1, 1)], LOOSE);
        assert!(a.sheets.iter().all(|r| r.raw_used && close(r.normalised, 3.0)));
        // Equal on every key: all share rank 1.
        assert!(a.nominations.iter().all(|n| n.rank == Some(1)));
    }

    #[test]
    fn a_harsh_reviewer_is_brought_in_line_by_normalisation() {
        // Reviewer 1 scores everything 2 lower than reviewer 2 but ranks the same way.
        let weights = w(&[1.0]);
        let sheets =
            vec![sheet(1, 10, &[s(1.0)]), sheet(1, 11, &[s(3.0)]), sheet(2, 10, &[s(3.0)]), sheet(2, 11, &[s(5.0)])];
        let a = aggregate(&weights, &sheets, &[(10, 1, 2), (11, 1, 2)], LOOSE);
        let norm = |r: i64, n: i64| a.sheets.iter().find(|x| x.reviewer == r && x.nomination == n).unwrap().normalised;
        assert!(close(norm(1, 10), norm(2, 10)));
        assert!(close(norm(1, 11), norm(2, 11)));
        // Raw and normalised are both reported.
        let n10 = a.nominations.iter().find(|n| n.nomination == 10).unwrap();
        assert!(close(n10.raw_mean.unwrap(), 2.0));
        // Normalised totals sit on the pooled scale: mean 3, spread √2.
        assert!(close(n10.normalised_mean.unwrap(), 3.0 - 2f64.sqrt()));
        let n11 = a.nominations.iter().find(|n| n.nomination == 11).unwrap();
        assert!(close(n11.normalised_mean.unwrap(), 3.0 + 2f64.sqrt()));
        assert_eq!(n11.rank, Some(1));
        assert!(a.reviewers.iter().all(|r| r.normalised && r.count == 2));
    }

    #[test]
    fn below_the_minimum_raw_is_used_for_that_reviewer_only() {
        let weights = w(&[1.0]);
        let sheets = vec![sheet(1, 10, &[s(1.0)]), sheet(1, 11, &[s(5.0)]), sheet(2, 10, &[s(4.0)])];
        let a = aggregate(&weights, &sheets, &[(10, 1, 2), (11, 1, 1)], LOOSE);
        assert!(a.sheets.iter().filter(|r| r.reviewer == 2).all(|r| r.raw_used));
        assert!(a.sheets.iter().filter(|r| r.reviewer == 1).all(|r| !r.raw_used));
    }

    #[test]
    fn disagreement_is_flagged_above_the_threshold() {
        let weights = w(&[1.0]);
        let sheets =
            vec![sheet(1, 10, &[s(1.0)]), sheet(2, 10, &[s(5.0)]), sheet(1, 11, &[s(3.0)]), sheet(2, 11, &[s(4.0)])];
        let a = aggregate(
            &weights,
            &sheets,
            &[(10, 1, 2), (11, 1, 2)],
            Settings { min_scored: 5, disagreement_threshold: 1.0 },
        );
        let f = |n: i64| a.nominations.iter().find(|x| x.nomination == n).unwrap().disagreement;
        assert!(f(10), "spread 2.0 > 1.0");
        assert!(!f(11), "spread 0.5");
    }

    #[test]
    fn unsubmitted_and_missing_sheets_make_an_entry_incomplete() {
        let weights = w(&[1.0]);
        let mut draft = sheet(2, 10, &[s(5.0)]);
        draft.submitted = false;
        let a = aggregate(&weights, &[sheet(1, 10, &[s(4.0)]), draft], &[(10, 1, 2), (11, 1, 3)], LOOSE);
        let n10 = a.nominations.iter().find(|n| n.nomination == 10).unwrap();
        assert_eq!((n10.reviews, n10.assigned, n10.incomplete), (1, 2, true));
        assert!(close(n10.raw_mean.unwrap(), 4.0), "a draft does not count");
        let n11 = a.nominations.iter().find(|n| n.nomination == 11).unwrap();
        assert_eq!((n11.reviews, n11.rank, n11.incomplete), (0, None, true));
    }

    #[test]
    fn ranking_is_per_category_with_documented_tie_breaks() {
        let mk = |n: i64, c: i64, norm: f64, raw: f64, reviews: usize, spread: f64| NominationResult {
            nomination: n,
            category: c,
            raw_mean: Some(raw),
            normalised_mean: Some(norm),
            reviews,
            assigned: reviews,
            spread: Some(spread),
            disagreement: false,
            incomplete: false,
            any_raw_used: false,
            criterion_means: vec![],
            rank: None,
        };
        let mut rs = vec![
            mk(1, 1, 4.0, 3.0, 3, 0.5),
            mk(2, 1, 4.0, 3.5, 3, 0.5), // higher raw breaks the tie with 1
            mk(3, 1, 4.0, 3.0, 2, 0.5), // fewer reviews ranks below 1
            mk(4, 1, 4.0, 3.0, 3, 0.1), // more agreement ranks above 1
            mk(5, 1, 4.0, 3.0, 3, 0.5), // equal to 1 on every key: same rank
            mk(6, 1, 4.5, 1.0, 1, 0.0), // best normalised wins whatever else
            mk(7, 2, 1.0, 1.0, 1, 0.0), // another category ranks on its own
        ];
        rank(&mut rs);
        let order: Vec<(i64, Option<usize>)> = rs.iter().map(|r| (r.nomination, r.rank)).collect();
        assert_eq!(
            order,
            vec![(6, Some(1)), (2, Some(2)), (4, Some(3)), (1, Some(4)), (5, Some(4)), (3, Some(6)), (7, Some(1))]
        );
    }

    #[test]
    fn ten_thousand_nominations_aggregate_quickly_enough_to_not_need_a_cache() {
        // Correctness at scale (the timing is measured by the benchmark command, not here).
        let weights = w(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let mut sheets = vec![];
        let mut entries = vec![];
        for n in 0..10_000i64 {
            entries.push((n, n % 4, 3));
            for r in 0..3 {
                let reviewer = (n * 3 + r) % 300;
                let v = ((n * 7 + r * 3) % 5 + 1) as f64;
                sheets.push(sheet(reviewer, n, &[Some(v); 6]));
            }
        }
        let a = aggregate(&weights, &sheets, &entries, Settings { min_scored: 5, disagreement_threshold: 1.0 });
        assert_eq!(a.nominations.len(), 10_000);
        assert_eq!(a.sheets.len(), 30_000);
        assert!(a.nominations.iter().all(|n| n.rank.is_some()));
    }
}
