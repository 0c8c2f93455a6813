//! Calibration of a review round, for briefing the next edition's reviewers: each reviewer's
//! mean and spread against the panel's, how often normalisation changed the place of the
//! entries they scored, and the entries the reviewers disagreed on most.
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::scoring::Aggregate;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewerCalibration {
    pub reviewer: i64,
    pub sheets: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    /// Their mean minus the panel's: above zero, more generous than the panel.
    pub offset: Option<f64>,
    /// Their spread divided by the panel's: below one, they used less of the scale.
    pub spread_ratio: Option<f64>,
    pub normalised: bool,
    /// Of the entries they scored, how many stand at another place in their category once
    /// scores are normalised than by raw scores.
    pub entries_moved: usize,
    pub entries_ranked: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub nomination: i64,
    pub category: i64,
    /// Standard deviation of the reviewers' raw totals on this entry.
    pub spread: f64,
    pub reviews: usize,
    /// The lowest and highest raw total it received.
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub panel_mean: Option<f64>,
    pub panel_spread: Option<f64>,
    pub reviewers: Vec<ReviewerCalibration>,
    /// Entries with at least two sheets, the widest spread first.
    pub disagreements: Vec<Disagreement>,
}

/// 1-based places within each category by `key` (higher first); equal keys share a place.
/// Entries without a key have no place.
fn places(
    agg: &Aggregate,
    key: impl Fn(&crate::domain::scoring::NominationResult) -> Option<f64>,
) -> HashMap<i64, usize> {
    let mut by_cat: BTreeMap<i64, Vec<(i64, f64)>> = BTreeMap::new();
    for n in &agg.nominations {
        if let Some(k) = key(n) {
            by_cat.entry(n.category).or_default().push((n.nomination, k));
        }
    }
    let mut out = HashMap::new();
    for (_, mut list) in by_cat {
        list.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (id, k) in &list {
            let place = 1 + list.iter().filter(|(_, o)| *o > *k + 1e-9).count();
            out.insert(*id, place);
        }
    }
    out
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

pub fn calibrate(agg: &Aggregate) -> Calibration {
    let raws: Vec<f64> = agg.sheets.iter().map(|s| s.raw).collect();
    let panel = mean_sd(&raws);
    let raw_place = places(agg, |n| n.raw_mean);
    let final_place = places(agg, |n| n.normalised_mean);
    let mut entries_of: HashMap<i64, HashSet<i64>> = HashMap::new();
    for s in &agg.sheets {
        entries_of.entry(s.reviewer).or_default().insert(s.nomination);
    }
    let reviewers = agg
        .reviewers
        .iter()
        .map(|r| {
            let entries = entries_of.get(&r.reviewer).cloned().unwrap_or_default();
            let ranked: Vec<&i64> =
                entries.iter().filter(|n| raw_place.contains_key(n) && final_place.contains_key(n)).collect();
            ReviewerCalibration {
                reviewer: r.reviewer,
                sheets: r.count,
                mean: r.mean,
                spread: r.spread,
                offset: r.mean.zip(panel).map(|(m, (pm, _))| m - pm),
                spread_ratio: r.spread.zip(panel).and_then(|(s, (_, ps))| (ps > 1e-9).then(|| s / ps)),
                normalised: r.normalised,
                entries_moved: ranked.iter().filter(|n| raw_place.get(n) != final_place.get(n)).count(),
                entries_ranked: ranked.len(),
            }
        })
        .collect();
    let mut per_entry: HashMap<i64, Vec<f64>> = HashMap::new();
    for s in &agg.sheets {
        per_entry.entry(s.nomination).or_default().push(s.raw);
    }
    let category: HashMap<i64, i64> = agg.nominations.iter().map(|n| (n.nomination, n.category)).collect();
    let mut disagreements: Vec<Disagreement> = per_entry
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .filter_map(|(id, v)| {
            let (_, sd) = mean_sd(&v)?;
            Some(Disagreement {
                nomination: id,
                category: category.get(&id).copied().unwrap_or(0),
                spread: sd,
                reviews: v.len(),
                low: v.iter().copied().fold(f64::INFINITY, f64::min),
                high: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            })
        })
        .collect();
    disagreements.sort_by(|a, b| b.spread.total_cmp(&a.spread).then(a.nomination.cmp(&b.nomination)));
    Calibration { panel_mean: panel.map(|p| p.0), panel_spread: panel.map(|p| p.1), reviewers, disagreements }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::{aggregate, Settings, Sheet, Weight};

    fn sheet(reviewer: i64, nomination: i64, v: f64) -> Sheet {
        Sheet { reviewer, nomination, scores: vec![Some(v)], submitted: true }
    }

    /// Reviewer 1 is generous (+1 on everything), reviewer 2 is strict and scores in a narrow
    /// band, reviewer 3 is the panel's middle. Normalisation reorders entry 3 and 4, which only
    /// the generous and the strict reviewer scored.
    fn round() -> Aggregate {
        let weights = [Weight { criterion: 1, weight: 1.0 }];
        let sheets = vec![
            sheet(1, 1, 5.0),
            sheet(1, 2, 4.0),
            sheet(1, 3, 5.0),
            sheet(3, 1, 4.0),
            sheet(3, 2, 3.0),
            sheet(3, 4, 2.0),
            sheet(2, 3, 2.0),
            sheet(2, 4, 2.5),
            sheet(2, 2, 2.2),
        ];
        let entries = [(1, 10, 2), (2, 10, 3), (3, 10, 2), (4, 10, 2)];
        aggregate(&weights, &sheets, &entries, Settings { min_scored: 2, disagreement_threshold: 1.0 })
    }

    #[test]
    fn offsets_and_spread_ratios_are_against_the_panel() {
        let c = calibrate(&round());
        let panel = c.panel_mean.unwrap();
        let r1 = c.reviewers.iter().find(|r| r.reviewer == 1).unwrap();
        let r2 = c.reviewers.iter().find(|r| r.reviewer == 2).unwrap();
        assert!((r1.offset.unwrap() - (14.0 / 3.0 - panel)).abs() < 1e-9);
        assert!(r1.offset.unwrap() > 0.0 && r2.offset.unwrap() < 0.0);
        assert!(r2.spread_ratio.unwrap() < 1.0, "the strict reviewer used a narrow band");
        assert_eq!(r1.sheets, 3);
    }

    #[test]
    fn moved_counts_entries_whose_place_normalisation_changed() {
        let agg = round();
        let c = calibrate(&agg);
        let raw = places(&agg, |n| n.raw_mean);
        let fin = places(&agg, |n| n.normalised_mean);
        let moved: HashSet<i64> = raw.keys().filter(|k| raw.get(k) != fin.get(k)).copied().collect();
        for r in &c.reviewers {
            let mine: HashSet<i64> =
                agg.sheets.iter().filter(|s| s.reviewer == r.reviewer).map(|s| s.nomination).collect();
            assert_eq!(r.entries_moved, mine.intersection(&moved).count());
            assert_eq!(r.entries_ranked, mine.len());
        }
    }

    #[test]
    fn the_widest_disagreement_comes_first() {
        let c = calibrate(&round());
        assert_eq!(c.disagreements[0].nomination, 3, "5 from one reviewer, 2 from another");
        assert!((c.disagreements[0].high - 5.0).abs() < 1e-9 && (c.disagreements[0].low - 2.0).abs() < 1e-9);
        assert!(c.disagreements.windows(2).all(|w| w[0].spread >= w[1].spread));
        assert!(c.disagreements.iter().all(|d| d.reviews >= 2));
    }

    #[test]
    fn an_empty_round_calibrates_to_nothing() {
        let c = calibrate(&Aggregate::default());
        assert_eq!(c, Calibration::default());
    }
}
