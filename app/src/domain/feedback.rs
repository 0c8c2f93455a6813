//! The feedback report a nominee reads with the results: per criterion, where the entry stood
//! within its category as a coarse band (never a score, a rank, another entry or a reviewer),
//! the reviewers' comments to the nominee that an organiser has read, and what the outcome
//! means. Bands come from ranks only, and only in categories with enough entries that a band
//! says nothing about any one other entry.
use serde::{Deserialize, Serialize};

use crate::domain::nomination::Outcome;
use crate::i18n::Locale;

/// A category with fewer reviewed entries than this shows no bands at all: with three
/// entries, "upper half" would all but name the others' places.
pub const MIN_ENTRIES_FOR_BANDS: usize = 5;

/// Where an entry's mean on one criterion stood among its category's entries, by quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Band {
    /// The top quarter.
    Leading,
    /// The second quarter.
    Strong,
    /// The third quarter.
    Growing,
    /// The last quarter.
    Emerging,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Leading, Band::Strong, Band::Growing, Band::Emerging];

    /// Kind words for the band: what it means, never a judgement of the person or their choices.
    pub fn words(self, locale: Locale) -> (&'static str, &'static str) {
        match (self, locale) {
            (Band::Leading, Locale::Ja) => {
                ("特に高く評価された観点", "同じ部門の取り組みの中で、特に高く評価された観点です。ぜひ、ほかの職場や地域にも伝えてください。")
            }
            (Band::Strong, Locale::Ja) => {
                ("よく評価された観点", "同じ部門の取り組みの中で、よく評価された観点です。")
            }
            (Band::Growing, Locale::Ja) => (
                "これから伸ばせる観点",
                "同じ部門の取り組みと比べて、これからさらに伸ばしていける観点です。",
            ),
            (Band::Emerging, Locale::Ja) => (
                "これから育てていく観点",
                "同じ部門の取り組みと比べて、これから育てていける観点です。取り組みの価値が小さいということではありません。",
            ),
            (Band::Leading, Locale::En) => (
                "Especially valued",
                "Among the entries in this category, this aspect was especially valued. Please share it with other workplaces and regions.",
            ),
            (Band::Strong, Locale::En) => ("Well regarded", "Among the entries in this category, this aspect was well regarded."),
            (Band::Growing, Locale::En) => (
                "Room to grow",
                "Compared with the entries in this category, this is an aspect you can develop further.",
            ),
            (Band::Emerging, Locale::En) => (
                "Ready to build on",
                "Compared with the entries in this category, this is an aspect you can build on. It takes nothing away from the value of what you shared.",
            ),
        }
    }
}

/// The band of every entry on one criterion, from the entries' means in its category
/// (`None`: not scored on it). Only ranks matter: where the entry stands among the others,
/// ties counted as half above and half below. Fewer than `MIN_ENTRIES_FOR_BANDS` scored
/// entries: no bands.
pub fn bands(means: &[(i64, Option<f64>)]) -> Vec<(i64, Band)> {
    let scored: Vec<(i64, f64)> =
        means.iter().filter_map(|(id, m)| m.filter(|m| m.is_finite()).map(|m| (*id, m))).collect();
    let n = scored.len();
    if n < MIN_ENTRIES_FOR_BANDS {
        return vec![];
    }
    scored
        .iter()
        .map(|(id, m)| {
            let below = scored.iter().filter(|(_, o)| o < m).count() as f64;
            let tied = scored.iter().filter(|(_, o)| o == m).count() as f64 - 1.0;
            let position = (below + tied / 2.0) / (n as f64 - 1.0);
            let band = if position >= 0.75 {
                Band::Leading
            } else if position >= 0.5 {
                Band::Strong
            } else if position >= 0.25 {
                Band::Growing
            } else {
                Band::Emerging
            };
            (*id, band)
        })
        .collect()
}

/// What became of a reviewer's comment to the nominee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CommentState {
    /// Not read by an organiser yet: the nominee does not see it.
    Pending,
    /// Read and passed on as written.
    Accepted,
    /// Passed on as the organiser edited it, with a recorded reason.
    Edited,
    /// Held back, with a recorded reason: the nominee never sees it.
    Held,
}

impl CommentState {
    pub const ALL: [CommentState; 4] =
        [CommentState::Pending, CommentState::Accepted, CommentState::Edited, CommentState::Held];

    pub fn key(self) -> &'static str {
        match self {
            CommentState::Pending => "pending",
            CommentState::Accepted => "accepted",
            CommentState::Edited => "edited",
            CommentState::Held => "held",
        }
    }

    pub fn parse(key: &str) -> Option<CommentState> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The text the nominee reads, if any: only what an organiser has read and let through.
    pub fn shown<'a>(self, original: &'a str, edited: &'a str) -> Option<&'a str> {
        let text = match self {
            CommentState::Accepted => original,
            CommentState::Edited => edited,
            CommentState::Pending | CommentState::Held => return None,
        };
        let text = text.trim();
        (!text.is_empty()).then_some(text)
    }
}

/// What an outcome means, in words for the nominee (kind whatever it is).
pub fn outcome_meaning(o: Outcome, locale: Locale) -> &'static str {
    match (o, locale) {
        (Outcome::Certified, Locale::Ja) => "実践共有認定は、この取り組みが、病気とともに働く人の経験を職場や地域で分かち合う良い実践であると認められたことを示します。アーカイブで紹介し、フォーラムで共有をお願いすることがあります。",
        (Outcome::GrandPrize | Outcome::Excellence | Outcome::Special, Locale::Ja) => "アワードは、審査員の評価と事務局の選考により、この取り組みを広く伝えたい実践として選んだことを示します。授賞式やアーカイブで紹介します。",
        (Outcome::NotSelected, Locale::Ja) => "今回は認定・授賞の対象にはなりませんでしたが、ご推薦いただいた取り組みは審査員が丁寧に読み、その価値を受け止めました。下の講評が、次の一歩のお役に立てばうれしく思います。",
        (Outcome::Undecided, Locale::Ja) => "結果はまだ確定していません。",
        (Outcome::Certified, Locale::En) => "The practice-sharing certification recognises this as a good practice for sharing the experience of working with illness, in workplaces and communities. We may feature it in the archive and ask you to share it at the forum.",
        (Outcome::GrandPrize | Outcome::Excellence | Outcome::Special, Locale::En) => "An award means the reviewers and the organisers chose this practice as one to share widely. It will be presented at the ceremony and in the archive.",
        (Outcome::NotSelected, Locale::En) => "This time the practice was not certified or awarded, yet the reviewers read it with care and valued what it holds. We hope the feedback below helps with the next step.",
        (Outcome::Undecided, Locale::En) => "The result is not final yet.",
    }
}

/// Words the programme's dialogue rules keep out of anything written to a nominee: no
/// verdict on a person, no denial of a choice. Every fixed text of the report is checked
/// against them in a test; organisers see the same list beside the comments they read.
pub const UNKIND_WORDS: [&str; 16] = [
    "不合格",
    "失格",
    "劣",
    "悪い",
    "ダメ",
    "だめ",
    "落選",
    "低評価",
    "fail",
    "poor",
    "bad",
    "worse",
    "weak",
    "inferior",
    "reject",
    "wrong",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[(i64, Band)], b: Band) -> Vec<i64> {
        let mut out: Vec<i64> = v.iter().filter(|(_, x)| *x == b).map(|(i, _)| *i).collect();
        out.sort();
        out
    }

    #[test]
    fn bands_are_quarters_of_the_category_by_rank() {
        let means: Vec<(i64, Option<f64>)> = (1..=8).map(|i| (i, Some(i as f64))).collect();
        let b = bands(&means);
        assert_eq!(ids(&b, Band::Leading), vec![7, 8]);
        assert_eq!(ids(&b, Band::Strong), vec![5, 6]);
        assert_eq!(ids(&b, Band::Growing), vec![3, 4]);
        assert_eq!(ids(&b, Band::Emerging), vec![1, 2]);
    }

    #[test]
    fn a_small_category_shows_no_bands() {
        let means: Vec<(i64, Option<f64>)> = (1..=4).map(|i| (i, Some(i as f64))).collect();
        assert!(bands(&means).is_empty());
        // Unscored entries do not count towards the minimum.
        let mut more = means.clone();
        more.push((9, None));
        more.push((10, Some(f64::NAN)));
        assert!(bands(&more).is_empty());
    }

    #[test]
    fn ties_share_a_band_and_an_all_equal_category_sits_in_the_middle() {
        let means: Vec<(i64, Option<f64>)> = (1..=6).map(|i| (i, Some(3.0))).collect();
        let b = bands(&means);
        assert!(b.iter().all(|(_, band)| *band == Band::Strong), "{b:?}");
    }

    /// What a nominee sees is their own band: it depends on the other entries' scores only
    /// through their order. Any change to another entry that keeps the order, and any
    /// order-keeping rescaling of all scores, leaves every band as it was — so no score (theirs
    /// or another's) can be worked out from what anyone sees.
    #[test]
    fn a_band_reveals_nothing_but_order() {
        let base: Vec<(i64, Option<f64>)> =
            [(1, 1.5), (2, 2.0), (3, 2.7), (4, 3.1), (5, 3.3), (6, 4.0), (7, 4.6)].map(|(i, m)| (i, Some(m))).to_vec();
        let before = bands(&base);
        let rescaled: Vec<(i64, Option<f64>)> = base.iter().map(|(i, m)| (*i, m.map(|m| m * m * 10.0 - 3.0))).collect();
        assert_eq!(bands(&rescaled), before);
        let mut nudged = base.clone();
        nudged[6].1 = Some(99.0); // the top entry far ahead: nobody else's band moves
        nudged[0].1 = Some(-5.0);
        assert_eq!(bands(&nudged), before);
        // The report has no field for a number: bands and words only (see `wire::FeedbackReport`).
    }

    #[test]
    fn only_read_comments_reach_the_nominee() {
        assert_eq!(CommentState::Pending.shown("a", ""), None);
        assert_eq!(CommentState::Held.shown("a", "b"), None);
        assert_eq!(CommentState::Accepted.shown(" a ", "b"), Some("a"));
        assert_eq!(CommentState::Edited.shown("a", "b"), Some("b"));
        assert_eq!(CommentState::Edited.shown("a", "  "), None);
        for s in CommentState::ALL {
            assert_eq!(CommentState::parse(s.key()), Some(s));
        }
    }

    /// Every fixed text a nominee reads in the report, in both languages, against the
    /// dialogue rules' word list.
    #[test]
    fn every_report_text_keeps_the_dialogue_rules() {
        let mut texts: Vec<&str> = vec![];
        for l in [Locale::Ja, Locale::En] {
            for b in Band::ALL {
                let (label, words) = b.words(l);
                texts.push(label);
                texts.push(words);
            }
            for o in Outcome::ALL {
                texts.push(outcome_meaning(o, l));
            }
            let t = l.texts();
            texts.extend([
                t.feedback_title,
                t.feedback_intro,
                t.feedback_bands_title,
                t.feedback_bands_help,
                t.feedback_no_bands,
                t.feedback_comments_title,
                t.feedback_no_comments,
                t.feedback_outcome_title,
                t.feedback_thanks,
            ]);
        }
        for text in texts {
            let lower = text.to_lowercase();
            for w in UNKIND_WORDS {
                assert!(!lower.contains(w), "{w:?} in {text:?}");
            }
        }
    }
}
