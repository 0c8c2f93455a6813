//! Japanese first, English second: the locale of a request and every string the UI shows.
//!
//! Each entry holds both languages side by side, so a string cannot exist in one language only:
//! the compiler refuses a missing translation.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::validation::Problem;

pub const LOCALE_COOKIE: &str = "gp_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Ja,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ja" => Some(Locale::Ja),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Ja => Locale::En,
            Locale::En => Locale::Ja,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Ja => &JA,
            Locale::En => &EN,
        }
    }

    /// The cookie chosen with the language switch wins; then the browser's `Accept-Language`
    /// (the first of ja/en by quality); Japanese otherwise.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
        if let Some(found) = cookie_header
            .and_then(|h| cookie_value(h, LOCALE_COOKIE))
            .and_then(Locale::parse)
        {
            return found;
        }
        let Some(header) = accept_language else {
            return Locale::Ja;
        };
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(locale) = Locale::parse(primary) else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((q, p, _)) => quality > q || (quality == q && position < p),
            };
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, l)| l).unwrap_or(Locale::Ja)
    }
}

/// Finds one cookie's value in a `Cookie:` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k.trim() == name).then_some(v.trim())
    })
}

/// The page's locale, provided once at the root of the app.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

pub fn use_texts() -> &'static Texts {
    use_locale().texts()
}

macro_rules! texts {
    ($($key:ident : $ja:expr, $en:expr;)*) => {
        /// Every UI string, one field per string.
        pub struct Texts { $(pub $key: &'static str,)* }
        pub static JA: Texts = Texts { $($key: $ja,)* };
        pub static EN: Texts = Texts { $($key: $en,)* };
    };
}

texts! {
    site_name: "ゆらぎと対話 グッドプラクティス", "Yuragi & Dialogue Good Practice";
    site_tagline: "難病・慢性疾患とともに働く、実践の記録と共有", "Recording and sharing practices for working with intractable and chronic illness";
    skip_to_content: "本文へ移動", "Skip to main content";
    nav_label: "メインメニュー", "Main menu";
    nav_archive: "実践アーカイブ", "Archive";
    nav_nominate: "推薦・応募", "Nominate";
    nav_review: "審査", "Review";
    nav_organise: "事務局", "Organise";
    nav_admin: "管理", "Admin";
    nav_account: "アカウント", "Account";
    nav_sign_in: "ログイン", "Sign in";
    nav_sign_up: "新規登録", "Sign up";
    nav_sign_out: "ログアウト", "Sign out";
    switch_language: "English", "日本語";
    switch_language_label: "Switch to English", "日本語に切り替える";
    footer_dialogue_rules: "対話ルール", "Dialogue rules";
    footer_privacy: "個人情報の取り扱い", "Privacy";
    footer_about: "このプラットフォームについて", "About this platform";
    footer_note: "このプラットフォームの名称と枠組みは特定の団体が独占するものではありません。各地域での活用を歓迎します。", "The name and framework of this platform are not owned by any one organisation. Every region is welcome to use them.";
    loading: "読み込み中…", "Loading…";
    save: "保存", "Save";
    cancel: "キャンセル", "Cancel";
    back: "戻る", "Back";
    required_mark: "必須", "required";
    optional_mark: "任意", "optional";
    error_heading: "入力内容を確認してください", "Please check the form";
    saved: "保存しました。", "Saved.";

    home_title: "ゆらぎと対話を中心に育む、新しい働き方と地域づくり", "New ways of working and community, grown around fluctuation and dialogue";
    home_lead: "病気や体調の「ゆらぎ」とともに働く人を支える、企業・支援関係者・自治体・個人の実践を記録し、紹介し、たたえます。知りたい人が知ることができ、取り組みの価値が広がるように。", "We record, introduce and honour the practices of companies, support workers, municipalities and individuals that support people working with the ups and downs of their health — so that whoever wants to know can know, and each initiative's value grows as others learn from it.";
    home_categories: "表彰区分", "Award categories";
    home_cta_nominate: "実践を推薦する", "Nominate a practice";
    home_cta_archive: "実践アーカイブを見る", "Browse the archive";
    home_phases: "プログラムの歩み", "Programme phases";

    sign_in_title: "ログイン", "Sign in";
    sign_in_submit: "ログインする", "Sign in";
    sign_in_no_account: "アカウントをお持ちでない方", "No account yet?";
    sign_in_forgot: "パスワードをお忘れの方", "Forgot your password?";
    sign_up_title: "新規登録", "Create an account";
    sign_up_lead: "実践の推薦・応募にはアカウントが必要です。アーカイブの閲覧にはアカウントは不要です。", "You need an account to nominate a practice. Browsing the archive needs no account.";
    sign_up_submit: "登録する", "Create account";
    sign_up_have_account: "すでにアカウントをお持ちの方", "Already have an account?";
    field_email: "メールアドレス", "E-mail address";
    field_password: "パスワード", "Password";
    field_password_help: "10文字以上。長めの文章のようなパスワードがおすすめです。", "At least 10 characters. A long phrase works well.";
    field_password_confirm: "パスワード(確認)", "Password (again)";
    field_display_name: "表示名", "Display name";
    field_display_name_help: "事務局や審査員とのやりとりで表示されます。公開はされません。", "Shown to organisers and in messages. Never published.";
    forgot_title: "パスワードの再設定", "Reset your password";
    forgot_lead: "登録したメールアドレスを入力してください。再設定用のリンクをお送りします(有効期限1時間・1回限り)。", "Enter the e-mail address you registered. We will send you a link to set a new password (valid for one hour, once).";
    forgot_submit: "リンクを送る", "Send the link";
    forgot_sent: "ご登録があれば、再設定用のリンクをお送りしました。メールをご確認ください。", "If an account exists for this address, we have sent a link. Please check your e-mail.";
    reset_title: "新しいパスワードの設定", "Set a new password";
    reset_submit: "パスワードを変更する", "Change password";
    reset_done: "パスワードを変更しました。新しいパスワードでログインしてください。", "Your password has been changed. Please sign in with the new one.";

    account_title: "アカウント", "Your account";
    account_role: "役割", "Role";
    account_signed_in_as: "ログイン中", "Signed in as";
    role_nominator: "推薦者", "Nominator";
    role_reviewer: "審査員", "Reviewer";
    role_organiser: "事務局", "Organiser";
    role_admin: "管理者", "Administrator";

    admin_title: "管理: アカウントと役割", "Admin: accounts and roles";
    admin_lead: "役割の変更はすぐに反映されます。審査員の担当は各回の審査設定で決まります。", "Role changes take effect at once. Which entries a reviewer sees is set per edition.";
    admin_col_name: "表示名", "Name";
    admin_col_email: "メール", "E-mail";
    admin_col_role: "役割", "Role";
    admin_col_created: "登録日", "Registered";
    admin_change_role: "変更", "Change";

    sign_in_needed_title: "ログインしてください", "Please sign in";
    sign_in_needed_body: "このページを見るにはログインが必要です。", "You need to sign in to see this page.";
    forbidden_title: "このページは表示できません", "This page is not available to you";
    forbidden_body: "この操作を行う権限がありません。必要な場合は事務局にお問い合わせください。", "You do not have permission for this. Please contact the organisers if you need it.";
    not_found_title: "ページが見つかりません", "Page not found";
    not_found_body: "お探しのページは移動または削除された可能性があります。", "The page you are looking for may have moved or been removed.";
    not_found_home: "トップページへ", "Go to the home page";

    rules_title: "対話ルール", "Dialogue rules";
    rules_lead: "安心して参加できるように、書く人・話す人みなさんにお願いしている約束です。", "Promises we ask of everyone who writes or speaks here, so that everyone can take part safely.";
    rule_1: "批判・断定・評価を目的とした発言は行わない", "Do not make statements aimed at criticising, asserting or judging others.";
    rule_2: "他者の実践・選択・立場を否定しない", "Do not deny other people's practices, choices or positions.";
    rule_3: "個別事例は、学びのための共有に限定し、攻撃や制度誘導に使わない", "Share individual cases for learning only — never to attack anyone or to steer people into a system.";
    rule_4: "発言内容は「その人の経験・現場からの視点」で語る", "Speak from your own experience and your own workplace's point of view.";
    privacy_title: "個人情報の取り扱い", "Privacy";
    privacy_consent_rule: "実践で取り上げる方の同意がない状態では、その実践を公開しません。同意はいつでも取り下げることができ、取り下げられた記録は直ちに非公開になります。", "A practice that features a person is never published without that person's recorded consent. Consent can be withdrawn at any time, and the record is then taken down at once.";
    privacy_health: "病名や体調など健康に関する情報は、本人が公開に同意した範囲でのみ扱います。審査では、事務局が個人に関わる項目を伏せて審査員に示すことがあります。", "Health information such as diagnoses is handled only within the scope the person has agreed to. Organisers may hide personal fields from reviewers.";
    privacy_storage: "アカウント情報・推薦内容・添付ファイルは、このプラットフォームを運営する団体のサーバーに保存されます。パスワードは復元できない形式(Argon2id)で保存します。", "Account data, nominations and attachments are stored on the servers of the organisation running this platform. Passwords are stored only as an irreversible hash (Argon2id).";
    privacy_contact: "ご自身の情報の確認・訂正・削除は事務局までご連絡ください。", "To see, correct or delete your information, please contact the organisers.";
}

/// The words for a validation problem.
pub fn problem_message(problem: &Problem, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    match problem {
        Problem::Required => {
            if ja {
                "入力してください。".into()
            } else {
                "Please fill this in.".into()
            }
        }
        Problem::TooLong { max } => {
            if ja {
                format!("{max}文字以内で入力してください。")
            } else {
                format!("Please keep this to {max} characters or fewer.")
            }
        }
        Problem::TooShort { min } => {
            if ja {
                format!("{min}文字以上で入力してください。")
            } else {
                format!("Please use at least {min} characters.")
            }
        }
        Problem::InvalidEmail => {
            if ja {
                "メールアドレスの形式を確認してください(例: name@example.jp)。".into()
            } else {
                "Please check the e-mail address (e.g. name@example.jp).".into()
            }
        }
        Problem::InvalidUrl => {
            if ja {
                "http:// または https:// で始まるURLを入力してください。".into()
            } else {
                "Please enter a link starting with http:// or https://.".into()
            }
        }
        Problem::InvalidChoice => {
            if ja {
                "選択肢から選んでください。".into()
            } else {
                "Please choose one of the options.".into()
            }
        }
        Problem::InvalidNumber => {
            if ja {
                "数字で入力してください。".into()
            } else {
                "Please enter a number.".into()
            }
        }
        Problem::InvalidDate => {
            if ja {
                "日時の形式を確認してください。".into()
            } else {
                "Please check the date and time.".into()
            }
        }
        Problem::Mismatch => {
            if ja {
                "確認用の入力が一致しません。".into()
            } else {
                "The two entries do not match.".into()
            }
        }
        Problem::PasswordSameAsEmail => {
            if ja {
                "メールアドレスと同じパスワードは使えません。".into()
            } else {
                "Your password cannot be your e-mail address.".into()
            }
        }
        Problem::MustAcknowledge => {
            if ja {
                "確認のうえ、チェックを入れてください。".into()
            } else {
                "Please read and tick this box.".into()
            }
        }
        Problem::TooMany { max } => {
            if ja {
                format!("{max}件までです。")
            } else {
                format!("No more than {max}, please.")
            }
        }
        Problem::FileTooLarge { max_mb } => {
            if ja {
                format!("ファイルが大きすぎます({max_mb}MBまで)。")
            } else {
                format!("This file is too large (up to {max_mb} MB).")
            }
        }
        Problem::FileTypeNotAllowed => {
            if ja {
                "PDF・PNG・JPEGのファイルのみ添付できます。".into()
            } else {
                "Only PDF, PNG and JPEG files can be attached.".into()
            }
        }
        Problem::OutOfRange { min, max } => {
            if ja {
                format!("{min}から{max}の範囲で入力してください。")
            } else {
                format!("Please enter a value from {min} to {max}.")
            }
        }
        Problem::EndBeforeStart => {
            if ja {
                "終了は開始より後にしてください。".into()
            } else {
                "The end must come after the start.".into()
            }
        }
    }
}

pub fn role_label(role: crate::domain::account::Role, locale: Locale) -> &'static str {
    use crate::domain::account::Role;
    let t = locale.texts();
    match role {
        Role::Nominator => t.role_nominator,
        Role::Reviewer => t.role_reviewer,
        Role::Organiser => t.role_organiser,
        Role::Admin => t.role_admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_choice_wins_over_browser_language() {
        assert_eq!(
            Locale::negotiate(Some("a=1; gp_lang=en"), Some("ja")),
            Locale::En
        );
        assert_eq!(
            Locale::negotiate(Some("gp_lang=ja"), Some("en-GB,en")),
            Locale::Ja
        );
    }

    #[test]
    fn accept_language_is_read_by_quality_then_order() {
        assert_eq!(
            Locale::negotiate(None, Some("en-US,en;q=0.9,ja;q=0.8")),
            Locale::En
        );
        assert_eq!(
            Locale::negotiate(None, Some("fr,ja;q=0.5,en;q=0.4")),
            Locale::Ja
        );
        assert_eq!(
            Locale::negotiate(None, Some("en;q=0.5,ja;q=0.5")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(None, Some("ja;q=0,en;q=0.1")), Locale::En);
    }

    #[test]
    fn japanese_is_the_default() {
        assert_eq!(Locale::negotiate(None, None), Locale::Ja);
        assert_eq!(
            Locale::negotiate(Some("gp_lang=xx"), Some("de, fr")),
            Locale::Ja
        );
    }

    #[test]
    fn both_languages_have_every_problem_worded() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 5 },
            Problem::FileTypeNotAllowed,
            Problem::OutOfRange { min: 1, max: 5 },
        ];
        for p in problems {
            let ja = problem_message(&p, Locale::Ja);
            let en = problem_message(&p, Locale::En);
            assert!(!ja.is_empty() && !en.is_empty() && ja != en);
        }
    }
}
