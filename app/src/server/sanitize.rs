//! The one sanitiser: long fields are written in Markdown, rendered to HTML and cleaned by a
//! single configured `ammonia` builder on write. What is stored is what every page renders.
use std::{collections::HashSet, sync::OnceLock};

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Paragraphs, line breaks, lists, emphasis, h3–h4 and absolute links; nothing else.
fn cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = Builder::empty();
        b.tags(HashSet::from(["p", "br", "ul", "ol", "li", "em", "strong", "h3", "h4", "a"]))
            .tag_attributes(std::collections::HashMap::from([("a", HashSet::from(["href"]))]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true)
            .clean_content_tags(HashSet::from([
                "script", "style", "iframe", "object", "embed", "template", "svg", "math", "noscript", "textarea",
                "title", "xmp", "noembed", "noframes",
            ]));
        b
    })
}

/// Cleans HTML with the configured builder.
pub fn clean_html(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Renders a long field's Markdown and cleans it. Headings are brought into the h3–h4 range
/// so a practice's own headings sit under the page's section headings.
pub fn render_markdown(source: &str) -> String {
    if source.trim().is_empty() {
        return String::new();
    }
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shift(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        // A single newline inside a paragraph is a line break in how people write Japanese prose.
        Event::SoftBreak => Event::HardBreak,
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    clean_html(&html)
}

fn shift(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H3,
        _ => HeadingLevel::H4,
    }
}

/// Plain text of a cleaned fragment (for search, summaries and e-mails).
pub fn to_plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                // A block (paragraph, list item, heading, line break) separates words; an inline
                // tag (bold, emphasis, link, code) does not: in Japanese, a space inserted there
                // splits one phrase in two in snippets and search text.
                if !is_inline_tag(name) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Is the tag whose text between `<` and `>` is `tag` (`strong`, `/a`, `a href="…"`) inline?
fn is_inline_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    ["a", "strong", "em", "b", "i", "code", "mark", "span", "del", "s", "sub", "sup", "small"]
        .iter()
        .any(|t| name.eq_ignore_ascii_case(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORBIDDEN: [&str; 24] = [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "javascript:",
        "data:",
        "vbscript:",
        "<svg",
        "<iframe",
        "style=",
        "<style",
        "<img",
        "<object",
        "<embed",
        "<form",
        "<input",
        "srcdoc",
        "formaction",
        "<math",
        "<meta",
        "<base",
        "<link",
        "<video",
    ];

    /// The markup of `html` (everything between `<` and `>`): what a browser could execute.
    /// Text between tags is escaped by the cleaner, so words like "javascript:" there are inert.
    fn markup_only(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    out.push(c);
                }
                '>' if in_tag => {
                    in_tag = false;
                    out.push(c);
                }
                _ if in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn assert_safe(input: &str) {
        for out in [render_markdown(input), clean_html(input)] {
            let markup = markup_only(&out).to_lowercase();
            for bad in FORBIDDEN {
                assert!(!markup.contains(bad), "input {input:?} left {bad:?} in {out:?}");
            }
            // Every `<` that survives opens one of the allowed tags.
            for tag in markup.split('<').skip(1) {
                let name: String =
                    tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                assert!(
                    ["p", "br", "ul", "ol", "li", "em", "strong", "h3", "h4", "a"].contains(&name.as_str()),
                    "input {input:?} left <{name}> in {out:?}"
                );
            }
        }
    }

    #[test]
    fn hostile_inputs_are_neutralised() {
        let hostile = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<scr<script>ipt>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"javascript:alert(1)\">",
            "<body onload=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"java\tscript:alert(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "[click](javascript:alert(1))",
            "[click](data:text/html,<script>alert(1)</script>)",
            "![x](javascript:alert(1))",
            "<svg onload=alert(1)><circle/></svg>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<style>body{display:none}</style>",
            "<object data=\"evil.swf\"></object>",
            "<embed src=\"evil.swf\">",
            "<form action=\"https://evil.example\"><input name=p></form>",
            "<button formaction=\"javascript:alert(1)\">x</button>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<base href=\"https://evil.example/\">",
            "<link rel=stylesheet href=\"https://evil.example/x.css\">",
            "<video><source onerror=alert(1)></video>",
            "<div onmouseover=\"alert(1)\">hover</div>",
            "<!--<script>alert(1)</script>-->",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<a href=\"/relative\" onclick=\"x()\">rel</a>",
            "<details open ontoggle=alert(1)>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        ];
        assert!(hostile.len() >= 30);
        for input in hostile {
            assert_safe(input);
        }
    }

    #[test]
    fn entity_tricks_stay_text() {
        let out = render_markdown("&lt;script&gt;alert(1)&lt;/script&gt;");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn allowed_markup_is_kept() {
        let out = render_markdown(
            "## 背景\n\n通院と**両立**できる*働き方*。\n\n- 在宅勤務\n- 時短\n\n1. 相談\n2. 調整\n\n#### 詳細\n\n[事例](https://example.jp/case)",
        );
        for expected in [
            "<h3>背景</h3>",
            "<strong>両立</strong>",
            "<em>働き方</em>",
            "<ul>",
            "<li>在宅勤務</li>",
            "<ol>",
            "<h4>詳細</h4>",
            "<a href=\"https://example.jp/case\" rel=\"noopener noreferrer nofollow\">事例</a>",
            "<p>",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
    }

    #[test]
    fn relative_links_are_dropped_but_their_text_stays() {
        let out = render_markdown("[内部](/admin)");
        assert!(!out.contains("href"), "{out}");
        assert!(out.contains("内部"));
    }

    #[test]
    fn line_breaks_inside_paragraphs_are_kept() {
        assert_eq!(render_markdown("一行目\n二行目"), "<p>一行目<br>\n二行目</p>\n");
    }

    #[test]
    fn empty_input_renders_nothing() {
        assert_eq!(render_markdown("   \n"), "");
    }

    #[test]
    fn plain_text_strips_tags_and_decodes_entities() {
        assert_eq!(to_plain_text("<p>a &amp; b</p><ul><li>c</li></ul>"), "a & b c");
        // Inline markup joins its text to what surrounds it; blocks and line breaks separate.
        assert_eq!(
            to_plain_text("<p>書き込む<strong>就労相談カード</strong>を<a href=\"/x\">作り</a></p><p>次</p>"),
            "書き込む就労相談カードを作り 次"
        );
        assert_eq!(to_plain_text("一行目<br>二行目<br/>三<em>行</em>目"), "一行目 二行目 三行目");
    }
}
