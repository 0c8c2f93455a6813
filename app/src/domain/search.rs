//! Japanese-aware search tokens, produced in Rust so SQLite and PostgreSQL index exactly the
//! same thing.
//!
//! Text is normalised (NFKC, case folding — so full- and half-width forms and upper/lower case
//! meet) and split into runs. A run of Japanese script (kanji, hiragana, katakana) becomes
//! overlapping bigrams in order (a one-character run becomes that character); a run of letters
//! or digits becomes one word. Each token is written as ASCII (`b`/`u`/`w` + hexadecimal code
//! points), so neither FTS5's `unicode61` tokenizer nor PostgreSQL's `simple` parser — whatever
//! the database locale — can split or fold it differently.
//!
//! Because bigrams are kept in order, a query term of n ≥ 2 Japanese characters is the phrase of
//! its n − 1 bigrams: it matches exactly where the term appears as a substring. One-character
//! terms use a separate list of every Japanese character (the "unigram path"); SQLite's trigram
//! tokenizer would silently find nothing for them, and for two-character words.
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// NFKC and case folding: what both indexing and querying see.
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{309F}' // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana (incl. ー)
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{3005}' | '\u{3006}' | '\u{3007}' // 々 〆 〇
        | '\u{20000}'..='\u{2FA1F}')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_japanese(c)
}

fn hex(chars: &[char]) -> String {
    chars.iter().map(|c| format!("{:x}", *c as u32)).collect::<Vec<_>>().join("x")
}

fn bigram(a: char, b: char) -> String {
    format!("b{}", hex(&[a, b]))
}

fn unigram(c: char) -> String {
    format!("u{}", hex(&[c]))
}

fn word(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    format!("w{}", hex(&chars))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run<'a> {
    Japanese(&'a str),
    Word(&'a str),
}

fn runs(s: &str) -> Vec<Run<'_>> {
    let mut out = vec![];
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        let kind = if is_japanese(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some((_, jp)), Some(k)) if jp == k => {}
            (Some((st, jp)), _) => {
                out.push(if jp { Run::Japanese(&s[st..i]) } else { Run::Word(&s[st..i]) });
                start = kind.map(|k| (i, k));
            }
            (None, Some(k)) => start = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((st, jp)) = start {
        out.push(if jp { Run::Japanese(&s[st..]) } else { Run::Word(&s[st..]) });
    }
    out
}

/// The tokens of one text: `seq` keeps order (phrases), `uni` is every Japanese character.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub seq: Vec<String>,
    pub uni: Vec<String>,
}

impl Tokens {
    pub fn seq_text(&self) -> String {
        self.seq.join(" ")
    }
    pub fn uni_text(&self) -> String {
        let mut u = self.uni.clone();
        u.sort();
        u.dedup();
        u.join(" ")
    }
}

pub fn tokenize(text: &str) -> Tokens {
    let norm = normalize(text);
    let mut t = Tokens::default();
    for run in runs(&norm) {
        match run {
            Run::Word(w) => t.seq.push(word(w)),
            Run::Japanese(j) => {
                let chars: Vec<char> = j.chars().collect();
                if chars.len() == 1 {
                    t.seq.push(unigram(chars[0]));
                } else {
                    for pair in chars.windows(2) {
                        t.seq.push(bigram(pair[0], pair[1]));
                    }
                }
                t.uni.extend(chars.iter().map(|c| unigram(*c)));
            }
        }
    }
    t
}

/// How one query term is looked up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermQuery {
    /// A single Japanese character: the unigram list.
    Char(String),
    /// Tokens that must appear consecutively in `seq`.
    Phrase(Vec<String>),
}

/// A query: every term must match (AND); each term matches if any of its forms (the term and
/// its synonyms) matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub terms: Vec<Vec<TermQuery>>,
    /// The normalised words, for highlighting.
    pub words: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

fn term_query(term: &str) -> Option<TermQuery> {
    let norm = normalize(term);
    let chars: Vec<char> = norm.chars().filter(|c| is_japanese(*c) || is_word(*c)).collect();
    if chars.len() == 1 && is_japanese(chars[0]) {
        return Some(TermQuery::Char(unigram(chars[0])));
    }
    let t = tokenize(term);
    (!t.seq.is_empty()).then_some(TermQuery::Phrase(t.seq))
}

/// The longest search accepted, in characters (pages, server functions and the API alike).
pub const QUERY_MAX_CHARS: usize = 200;

/// The words of a search as it means them: whitespace-separated (ideographic spaces too),
/// each once, in first-seen order. `難病  難病 就労` and `難病 就労` are the same search.
/// A query over the length limit is returned as it is (the search refuses it with a message).
pub fn canonical_query(input: &str) -> String {
    if input.chars().count() > QUERY_MAX_CHARS {
        return input.to_owned();
    }
    let mut seen: Vec<&str> = vec![];
    for w in input.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !seen.contains(&w) {
            seen.push(w);
        }
    }
    seen.join(" ")
}

/// Splits on ASCII and full-width spaces, expands synonyms (groups of equivalent words), and
/// drops terms that carry no searchable character. Repeated words count once; at most 8
/// terms are kept.
pub fn parse_query(input: &str, synonyms: &[Vec<String>]) -> Query {
    let norm = normalize(input);
    let mut q = Query::default();
    let mut seen: Vec<&str> = vec![];
    for raw in norm.split(|c: char| c.is_whitespace()).filter(|s| !s.is_empty()) {
        // A repeated word adds nothing: it is searched once (and keys the memo once).
        if seen.contains(&raw) {
            continue;
        }
        seen.push(raw);
        if seen.len() > 8 {
            break;
        }
        let mut forms = vec![raw.to_string()];
        for group in synonyms {
            if group.iter().any(|g| normalize(g) == raw) {
                for g in group {
                    let g = normalize(g);
                    if !forms.contains(&g) {
                        forms.push(g);
                    }
                }
            }
        }
        let alternatives: Vec<TermQuery> = forms.iter().filter_map(|f| term_query(f)).collect();
        if !alternatives.is_empty() {
            q.words.extend(forms.iter().cloned());
            q.terms.push(alternatives);
        }
    }
    q
}

/// FTS5 MATCH expression over the given columns, e.g. `{t_seq b_seq}`.
pub fn fts5_match(q: &Query, seq_cols: &str, uni_cols: &str) -> String {
    q.terms
        .iter()
        .map(|alts| {
            let parts: Vec<String> = alts
                .iter()
                .map(|a| match a {
                    TermQuery::Char(u) => format!("{{{uni_cols}}} : \"{u}\""),
                    TermQuery::Phrase(p) => format!("{{{seq_cols}}} : \"{}\"", p.join(" ")),
                })
                .collect();
            format!("({})", parts.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// PostgreSQL condition over tsvector columns `{seq}` and `{uni}`, with the tsquery texts as
/// parameters (returned separately so nothing is interpolated into SQL).
pub fn pg_condition(q: &Query, seq: &str, uni: &str, first_param: usize) -> (String, Vec<String>) {
    let mut params = vec![];
    let mut n = first_param;
    let terms: Vec<String> = q
        .terms
        .iter()
        .map(|alts| {
            let parts: Vec<String> = alts
                .iter()
                .map(|a| {
                    let (col, tq) = match a {
                        TermQuery::Char(u) => (uni, u.clone()),
                        TermQuery::Phrase(p) => (seq, p.join(" <-> ")),
                    };
                    params.push(tq);
                    let s = format!("{col} @@ to_tsquery('simple', ${n})");
                    n += 1;
                    s
                })
                .collect();
            format!("({})", parts.join(" OR "))
        })
        .collect();
    (terms.join(" AND "), params)
}

/// Wraps every occurrence of the words in `<mark>` within a window of `text` around the first
/// match; plain text in, escaped HTML out.
pub fn snippet(text: &str, words: &[String], width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Per-character normalisation keeps a position map back to the original text.
    let mut norm = String::new();
    let mut origin: Vec<usize> = vec![];
    for (i, c) in chars.iter().enumerate() {
        for n in std::iter::once(*c).nfkc().flat_map(char::to_lowercase) {
            norm.push(n);
            origin.push(i);
        }
    }
    let norm_chars: Vec<char> = norm.chars().collect();
    let mut marks: Vec<(usize, usize)> = vec![];
    for w in words.iter().filter(|w| !w.is_empty()) {
        let wc: Vec<char> = w.chars().collect();
        if wc.len() > norm_chars.len() {
            continue;
        }
        for i in 0..=norm_chars.len() - wc.len() {
            if norm_chars[i..i + wc.len()] == wc[..] {
                marks.push((origin[i], origin[i + wc.len() - 1] + 1));
            }
        }
    }
    marks.sort();
    let first = marks.first().map(|m| m.0).unwrap_or(0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let mut out = String::with_capacity((end - start) * 3 + 32);
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    let mut next_mark = marks.iter().peekable();
    while i < end {
        while next_mark.peek().is_some_and(|(s, _)| *s < i) {
            next_mark.next();
        }
        if let Some(&&(s, e)) = next_mark.peek().filter(|(s, _)| *s == i) {
            let e = e.min(end);
            out.push_str("<mark>");
            chars[s..e].iter().for_each(|c| push_escaped(&mut out, *c));
            out.push_str("</mark>");
            i = e.max(s + 1);
        } else {
            push_escaped(&mut out, chars[i]);
            i += 1;
        }
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_words_make_the_same_search() {
        assert_eq!(canonical_query("難病  難病\u{3000}就労 難病"), "難病 就労");
        assert_eq!(canonical_query("  "), "");
        let once = parse_query("難病 就労", &[]);
        let many = parse_query(&"難病 就労 ".repeat(50), &[]);
        assert_eq!(once.terms, many.terms);
        // Over the limit: left alone for the search to refuse (no quadratic work on it).
        let long = "語 ".repeat(150);
        assert_eq!(canonical_query(&long), long);
    }

    fn contains(text: &str, query: &str) -> bool {
        // The reference semantics: every term is a substring of the normalised text.
        let t = normalize(text);
        normalize(query).split_whitespace().all(|w| t.contains(w))
    }

    /// Evaluates a query against one text the way the databases do (phrase / unigram lookup).
    fn matches(text: &str, q: &Query) -> bool {
        let t = tokenize(text);
        q.terms.iter().all(|alts| {
            alts.iter().any(|a| match a {
                TermQuery::Char(u) => t.uni.contains(u),
                TermQuery::Phrase(p) => t.seq.windows(p.len()).any(|w| w == p.as_slice()),
            })
        })
    }

    #[test]
    fn normalisation_joins_widths_and_cases() {
        assert_eq!(normalize("ＩＴ企業　ﾃﾚﾜｰｸ"), "it企業 テレワーク");
        assert_eq!(normalize("Telework"), "telework");
    }

    #[test]
    fn tokens_are_ascii() {
        let t = tokenize("難病と就労、IT企業 123");
        assert!(t.seq.iter().chain(t.uni.iter()).all(|x| x.chars().all(|c| c.is_ascii_alphanumeric())));
        assert_eq!(t.seq.len(), 4 + 1 + 1 + 1); // 難病 病と と就 就労 | it | 企業 | 123
    }

    #[test]
    fn one_two_and_longer_japanese_terms_find_exactly_their_substrings() {
        let texts = [
            "難病のある社員の就労を支える",
            "仕事と治療の両立支援",
            "在宅勤務を週2日まで認めた",
            "体調のゆらぎに合わせた働き方",
            "テレワークで通院と両立",
            "在宅での勤務が難しい工程", // has 在宅 and 勤務 but not 在宅勤務
            "病院の受付",
        ];
        for query in
            ["難病", "就労", "両立", "在宅勤務", "ゆらぎ", "テレワーク", "病", "務", "在宅", "勤務が難", "院の受"]
        {
            let q = parse_query(query, &[]);
            for text in texts {
                assert_eq!(matches(text, &q), contains(text, query), "query {query:?} on {text:?}");
            }
        }
    }

    #[test]
    fn terms_are_and_ed_and_full_width_spaces_separate_them() {
        let q = parse_query("難病　就労", &[]);
        assert_eq!(q.terms.len(), 2);
        assert!(matches("難病のある社員の就労", &q));
        assert!(!matches("難病のある社員", &q));
    }

    #[test]
    fn english_words_and_mixed_script() {
        let q = parse_query("telework", &[]);
        assert!(matches("Telework started in 2020", &q));
        assert!(!matches("teleworking", &q), "whole words only");
        let q = parse_query("IT企業", &[]);
        assert!(matches("ＩＴ企業での取組", &q));
        assert!(!matches("IT部門の企業", &q));
    }

    #[test]
    fn widths_meet() {
        assert!(matches("ﾃﾚﾜｰｸの導入", &parse_query("テレワーク", &[])));
        assert!(matches("テレワークの導入", &parse_query("ﾃﾚﾜｰｸ", &[])));
    }

    #[test]
    fn synonyms_widen_a_term() {
        let syn = vec![
            vec!["がん".to_string(), "癌".to_string(), "ガン".to_string()],
            vec!["テレワーク".to_string(), "在宅勤務".to_string()],
        ];
        let q = parse_query("がん", &syn);
        assert!(matches("乳癌の治療と仕事", &q));
        assert!(matches("ガンと向き合う", &q));
        let q = parse_query("テレワーク 両立", &syn);
        assert!(matches("在宅勤務で両立", &q));
        assert!(!matches("在宅勤務を始めた", &q));
    }

    #[test]
    fn punctuation_and_empty_queries_search_nothing() {
        assert!(parse_query("  、。!? ", &[]).is_empty());
        assert!(parse_query("", &[]).is_empty());
    }

    #[test]
    fn the_database_expressions_carry_only_tokens() {
        let q = parse_query("難病 在宅勤務 病 \"; DROP TABLE", &[]);
        let fts = fts5_match(&q, "t_seq b_seq", "t_uni b_uni");
        assert!(fts.contains("{t_uni b_uni} : \"u75c5\""), "{fts}");
        assert!(!fts.contains("DROP") && !fts.contains(';'));
        let (sql, params) = pg_condition(&q, "s", "u", 1);
        assert!(sql.contains("$1") && !sql.contains("drop"));
        assert!(params.iter().any(|p| p.contains(" <-> ")));
        assert!(params.iter().all(|p| p.chars().all(|c| c.is_ascii_alphanumeric()
            || c == ' '
            || c == '<'
            || c == '-'
            || c == '>')));
    }

    #[test]
    fn snippets_mark_matches_and_escape_the_rest() {
        let s = snippet("<b>難病</b>のある社員の就労を支える取り組み", &["就労".into()], 12);
        assert!(s.contains("<mark>就労</mark>"), "{s}");
        assert!(!s.contains("<b>"));
        let s = snippet("ＩＴ企業で働く", &["it".into()], 20);
        assert!(s.contains("<mark>ＩＴ</mark>"), "{s}");
    }
}
