//! The four award categories (表彰区分) and the extra questions organisers may add per category.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CategoryKey {
    Corporate,
    Support,
    Municipal,
    People,
}

impl CategoryKey {
    pub const ALL: [CategoryKey; 4] =
        [CategoryKey::Corporate, CategoryKey::Support, CategoryKey::Municipal, CategoryKey::People];

    pub fn key(self) -> &'static str {
        match self {
            CategoryKey::Corporate => "corporate",
            CategoryKey::Support => "support",
            CategoryKey::Municipal => "municipal",
            CategoryKey::People => "people",
        }
    }

    pub fn parse(key: &str) -> Option<CategoryKey> {
        CategoryKey::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The names the organisers use (brief, table "Award categories").
    pub fn default_names(self) -> (&'static str, &'static str) {
        match self {
            CategoryKey::Corporate => ("企業実践部門", "Corporate practice"),
            CategoryKey::Support => ("支援実践部門", "Support practice"),
            CategoryKey::Municipal => ("自治体活動・実践部門", "Municipal activity and practice"),
            CategoryKey::People => ("PEOPLE部門", "PEOPLE"),
        }
    }

    pub fn default_guidance(self) -> (&'static str, &'static str) {
        match self {
            CategoryKey::Corporate => (
                "病気や体調のゆらぎがある社員が働き続けられるよう、企業として取り組んだ実践(制度・職場づくり・対話の工夫など)を推薦してください。",
                "Practices of companies that help employees with fluctuating health keep working: policies, workplaces, ways of dialogue.",
            ),
            CategoryKey::Support => (
                "支援機関や支援者による、就職・就労継続の伴走や多機関連携の実践を推薦してください。",
                "Practices of support organisations and workers: accompanying people into and through work, and joining up services.",
            ),
            CategoryKey::Municipal => (
                "自治体による施策・事業・地域づくりの実践を推薦してください。",
                "Municipal policies, programmes and community-building practices.",
            ),
            CategoryKey::People => (
                "病気とともに働く本人や、身近で支える人の実践を推薦してください。ご自身の推薦も歓迎します。",
                "Practices of people working with illness, or of those close to them. Self-nominations are welcome.",
            ),
        }
    }

    /// Industry and organisation size are asked for the corporate category only.
    pub fn asks_company_details(self) -> bool {
        self == CategoryKey::Corporate
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    ShortText,
    LongText,
    SingleChoice,
    Number,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 4] =
        [QuestionKind::ShortText, QuestionKind::LongText, QuestionKind::SingleChoice, QuestionKind::Number];

    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::Number => "number",
        }
    }

    pub fn parse(key: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn max_chars(self) -> usize {
        match self {
            QuestionKind::ShortText => 200,
            QuestionKind::LongText => 4000,
            QuestionKind::SingleChoice => 100,
            QuestionKind::Number => 20,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub ja: String,
    pub en: String,
}

/// An extra question of one category in one edition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub label_ja: String,
    pub label_en: String,
    pub help_ja: String,
    pub help_en: String,
    pub options: Vec<ChoiceOption>,
    pub required: bool,
    /// Personal answers are hidden from blind reviewers and never published.
    pub personal: bool,
}

/// Parses the organiser's option list: one option per line, `value | 日本語 | English`
/// (or just a label, used for all three).
pub fn parse_options(text: &str) -> Vec<ChoiceOption> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            match parts.as_slice() {
                [v, ja, en, ..] => ChoiceOption { value: v.to_string(), ja: ja.to_string(), en: en.to_string() },
                [ja, en] => ChoiceOption { value: ja.to_string(), ja: ja.to_string(), en: en.to_string() },
                _ => ChoiceOption { value: line.to_string(), ja: line.to_string(), en: line.to_string() },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_keys_are_stable() {
        let keys: Vec<_> = CategoryKey::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys, ["corporate", "support", "municipal", "people"]);
        for c in CategoryKey::ALL {
            assert_eq!(CategoryKey::parse(c.key()), Some(c));
        }
        assert_eq!(CategoryKey::parse("Corporate"), None);
    }

    #[test]
    fn only_the_corporate_category_asks_for_company_details() {
        let asks: Vec<_> = CategoryKey::ALL.iter().filter(|c| c.asks_company_details()).collect();
        assert_eq!(asks, [&CategoryKey::Corporate]);
    }

    #[test]
    fn option_lines_are_parsed() {
        let o = parse_options("remote | 在宅 | Remote\n\n 時短 | Shorter hours \nその他");
        assert_eq!(o.len(), 3);
        assert_eq!(o[0], ChoiceOption { value: "remote".into(), ja: "在宅".into(), en: "Remote".into() });
        assert_eq!(o[1].value, "時短");
        assert_eq!(o[2].en, "その他");
    }
}
