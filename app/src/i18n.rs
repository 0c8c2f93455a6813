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
        if let Some(found) = cookie_header.and_then(|h| cookie_value(h, LOCALE_COOKIE)).and_then(Locale::parse) {
            return found;
        }
        let Some(header) = accept_language else {
            return Locale::Ja;
        };
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
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
/// The page's locale: provided by the app on the server; in an island in the browser (which
/// has no app context around it), read back from `<html lang>`.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(document_locale)
}

/// `<html lang>` of the page in the browser; the default elsewhere.
pub fn document_locale() -> Locale {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Locale::default()
    }
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
    nav_events: "フォーラム", "Forum";
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
    privacy_contact: "ご自身の情報は「アカウント」のページで確認・訂正・ダウンロード・削除できます。推薦で紹介された方は、届いた同意のリンクのページから確認・ダウンロード・消去できます。ほかのご相談は事務局までご連絡ください。", "You can see, correct, download and delete your information on your account page. People featured in a nomination can see, download and erase what concerns them from the page of the consent link they received. For anything else, please contact the organisers.";

    nav_my_nominations: "マイ推薦", "My nominations";
    nominate_title: "実践を推薦する", "Nominate a practice";
    nominate_lead: "ご自身の実践(自薦)も、ほかの方・企業・支援機関・自治体の実践も推薦できます。下書きはいつでも保存でき、締切までは修正できます。", "You can nominate your own practice or someone else's — a colleague, an employer, a support worker, a municipality. Drafts are kept, and you can edit until the deadline.";
    nominate_none_open: "現在、推薦を受け付けている回はありません。", "No edition is taking nominations at the moment.";
    nominate_choose_category: "表彰区分を選んでください", "Choose an award category";
    nominate_start: "この区分で書きはじめる", "Start in this category";
    nominate_deadline: "締切", "Deadline";
    nominate_sign_in_first: "推薦にはログインが必要です。", "Please sign in to nominate.";
    my_title: "マイ推薦", "My nominations";
    my_empty: "まだ推薦はありません。", "You have no nominations yet.";
    my_col_title: "題名", "Title";
    my_col_category: "区分", "Category";
    my_col_status: "状況", "Status";
    my_col_consent: "ご本人の同意", "Consent";
    my_col_next: "次にすること", "Next step";
    untitled: "(題名未入力の下書き)", "(untitled draft)";
    open_link: "開く", "Open";
    edit_link: "編集する", "Edit";
    next_write: "内容を書き進め、プレビューから提出してください。", "Keep writing, then submit from the preview.";
    next_edit_until: "締切まで修正できます。", "You can edit until the deadline.";
    next_consent: "ご本人への同意の依頼を送ってください。", "Send the consent request to the featured person.";
    next_wait: "結果をお待ちください。", "Please wait for the results.";
    next_amend: "事務局からのお願いをご確認ください。", "Please see the organisers' request.";
    next_none: "—", "—";
    status_draft: "下書き", "Draft";
    status_received: "受け付けました", "Received";
    status_screening: "事務局で確認しています", "Being checked by the organisers";
    status_needs_info: "追加のご説明をお願いしています", "We would like a little more information";
    status_review: "審査中です", "Under review";
    status_certified: "実践共有認定となりました", "Certified for practice sharing";
    status_awarded: "表彰が決まりました", "Awarded";
    status_not_selected: "今回は選ばれませんでしたが、大切な実践をご推薦いただきありがとうございました", "Not selected this time — thank you for sharing this valuable practice";
    status_withdrawn: "取り下げました", "Withdrawn";
    award_grand_prize: "大賞", "Grand prize";
    award_excellence: "優秀賞", "Excellence award";
    award_special: "特別賞", "Special award";
    consent_not_asked: "まだ依頼していません", "Not yet asked";
    consent_requested: "依頼中(回答待ち)", "Requested (awaiting an answer)";
    consent_given: "同意あり", "Given";
    consent_declined: "同意なし", "Declined";
    consent_withdrawn: "取り下げられました", "Withdrawn";
    scope_review_only: "審査のみ(公開しない)", "Review only (not published)";
    scope_archive_anonymised: "お名前を伏せて公開してよい", "May be published without names";
    scope_archive_named: "お名前を含めて公開してよい", "May be published with names";
    scope_photos: "写真の掲載もよい", "Photos may be shown";

    edit_title: "推薦内容の編集", "Edit nomination";
    edit_save: "下書きを保存", "Save draft";
    edit_save_preview: "保存してプレビュー", "Save and preview";
    edit_saved_at: "保存しました", "Saved";
    edit_autosaved: "自動保存しました", "Saved automatically";
    edit_unsaved: "未保存の変更があります", "Unsaved changes";
    edit_saving: "保存中…", "Saving…";
    edit_autosave_failed: "自動保存できませんでした。接続を確認してから「下書きを保存」を押してください。入力した内容はこの画面に残っています。", "Could not save automatically. Please check your connection, then press “Save draft”. What you typed is still here.";
    edit_autosave_refused: "自動保存できませんでした。理由をページ上部に表示しています。入力した内容はこの画面に残っています。", "Could not save automatically. The reason is shown at the top of the page. What you typed is still here.";
    edit_readonly: "締切を過ぎたため、内容は変更できません。", "The deadline has passed, so this can no longer be changed.";
    edit_markdown_help: "長い項目では「**太字**」「- 箇条書き」「### 見出し」「[文字](https://…)」が使えます。", "Long fields accept **bold**, - lists, ### headings and [text](https://…) links.";
    edit_missing: "提出までに必要な項目", "Still needed before you can submit";
    edit_complete: "提出に必要な項目はそろっています。", "Everything needed to submit is filled in.";
    chars_left: "残り", "left";
    chars_over: "文字超過", "characters over";
    section_basic: "基本情報", "Basics";
    section_nominee: "推薦する対象", "Who is nominated";
    section_practice: "実践の内容", "The practice";
    section_more: "関連情報", "More";
    section_consent: "ご本人の同意", "Consent of the featured person";
    section_questions: "この区分の質問", "Questions for this category";
    f_category: "表彰区分", "Award category";
    f_title: "推薦の題名", "Title";
    f_title_help: "120字以内。取り組みの中身が伝わる題名にしてください。", "Up to 120 characters; say what the practice is.";
    f_nominee_type: "推薦する対象の種類", "Who is being nominated";
    f_nominee_name: "対象の名称(お名前・団体名)", "Name of the person or organisation";
    f_nominee_kana: "ふりがな", "Reading in kana";
    f_nominee_kana_help: "個人の場合は必須です(ひらがな・カタカナ)。", "Required for persons (hiragana or katakana).";
    f_region: "地域", "Region";
    f_industry: "業種", "Industry";
    f_org_size: "従業員規模", "Organisation size";
    f_summary: "概要", "Summary";
    f_summary_help: "400字以内。どんな実践か、ひとことで。", "Up to 400 characters: the practice in a nutshell.";
    f_background: "背景", "Background";
    f_background_help: "どのような状況や課題から始まった取り組みですか。", "What situation or need did this start from?";
    f_practice: "取り組んだこと", "What was done";
    f_practice_help: "具体的に何をしたか、どのような順序で進めたか。", "What was done, concretely, and in what order.";
    f_involved: "関わった人・機関", "Who was involved";
    f_involved_help: "本人、職場、支援機関、医療、家族、自治体など。", "The person, the workplace, support services, health care, family, the municipality…";
    f_accommodation: "体調のゆらぎへの配慮", "How fluctuating health was accommodated";
    f_accommodation_help: "体調の波や通院に合わせた工夫、対話の仕方など。", "How ups and downs of health and hospital visits were fitted in, and how people talked about it.";
    f_challenges: "うまくいかなかったこと・課題", "Challenges and what did not work";
    f_challenges_help: "このプログラムは、困難や未解決の課題も大切な学びと考えています。うまくいかなかったこと、今も悩んでいることも率直にお書きください。", "The programme values candour: difficulties and unsolved problems are valuable lessons too. Please say honestly what did not work and what is still hard.";
    f_outcomes: "成果・変化", "Outcomes";
    f_outcomes_help: "本人、職場、地域に起きた変化。", "What changed for the person, the workplace, the community.";
    f_lessons: "他の人が参考にできること", "What others can learn";
    f_lessons_help: "ほかの職場や地域で取り入れるときのヒント。", "Tips for other workplaces or regions that want to try this.";
    f_links: "関連リンク", "Links";
    f_links_help: "1行に1つ、https:// から始まるURL(10件まで)。", "One per line, starting with https:// (up to 10).";
    f_relationship: "対象とあなたの関係", "Your relationship to the nominee";
    f_featured_email: "ご本人(または団体のご担当者)のメールアドレス", "E-mail of the featured person (or the organisation's contact)";
    f_featured_email_help: "紹介についての同意をお願いするためだけに使います。公開されません。", "Used only to ask for consent. Never published.";
    f_self_consent: "ご自身の同意(自薦の場合)", "Your own consent (self-nomination)";
    f_self_consent_help: "どこまで紹介してよいかを選んでください。あとから変更・取り下げできます。", "Choose how far your practice may be shared. You can change or withdraw this later.";
    choose: "選んでください", "Please choose";
    nominee_person: "個人", "A person";
    nominee_company: "企業", "A company";
    nominee_support_organisation: "支援機関・支援者", "A support organisation or worker";
    nominee_municipality: "自治体", "A municipality";
    nominee_group: "グループ・団体", "A group";

    view_submitted_notice: "提出しました。確認のメールをお送りしました。締切までは修正できます。", "Submitted. We have sent you a confirmation e-mail. You can still edit until the deadline.";
    view_preview_note: "審査員や事務局には、次のように表示されます。", "This is how organisers and reviewers will see it.";
    view_attachments: "添付ファイル", "Attachments";
    view_attachments_help: "PDF・PNG・JPEG、1ファイル10MBまで、5件まで。", "PDF, PNG or JPEG, up to 10 MB each, at most 5.";
    view_upload: "添付する", "Attach";
    view_no_attachments: "添付ファイルはありません。", "No attachments.";
    view_delete: "削除", "Delete";
    view_submit_heading: "提出", "Submit";
    view_ack: "対話ルールを読み、これに沿って書きました。", "I have read the dialogue rules and written in their spirit.";
    view_submit: "提出する", "Submit";
    view_withdraw: "推薦を取り下げる", "Withdraw this nomination";
    view_withdraw_help: "取り下げはいつでもできます。取り下げた推薦は審査されません。", "You can withdraw at any time. A withdrawn nomination is not reviewed.";
    view_consent_request: "同意の依頼を送る", "Send the consent request";
    view_consent_request_help: "このアドレスに、内容を確認して同意・範囲の指定・辞退ができるリンク(1回限り・30日間有効)をお送りします。", "We will send a link (valid once, for 30 days) where they can read what was written and give, limit or decline consent.";
    view_consent_sent: "同意の依頼を送りました。", "The consent request has been sent.";
    view_consent_withdraw: "同意を取り下げる", "Withdraw consent";
    view_consent_record: "事務局として同意を記録する", "Record consent as organiser";
    view_consent_give: "同意を記録", "Record consent";
    view_consent_decline: "辞退を記録", "Record refusal";
    view_consent_history: "同意の履歴", "Consent history";
    view_consent_self: "自薦のため、ご本人の同意はフォームで記録されます。", "This is a self-nomination: your own consent is recorded on the form.";
    view_needs_info: "事務局からのお願い", "A request from the organisers";
    view_amend_until: "修正の期限", "Amend until";
    view_nominator: "推薦者", "Nominator";
    view_status: "状況", "Status";
    view_updated: "最終更新", "Last saved";
    upload_error_too_large: "ファイルが大きすぎます(1ファイル10MBまで)。", "The file is too large (up to 10 MB).";
    upload_error_type: "PDF・PNG・JPEGのファイルのみ添付できます。", "Only PDF, PNG and JPEG files can be attached.";
    upload_error_too_many: "添付は5件までです。", "No more than 5 attachments.";
    upload_error_other: "添付できませんでした。もう一度お試しください。", "The file could not be attached. Please try again.";
    upload_error_deadline: "締切を過ぎているため、添付を変更できません。", "The deadline has passed, so attachments can no longer be changed.";
    waiting_for_consent_title: "ご本人の同意をお待ちしています", "Waiting for the featured person's consent";
    waiting_for_consent_body: "この推薦は受け付けています。審査は、紹介される方(または所属先)が少なくとも「審査のみ」に同意されてから始まります。同意のお願いはこのページから送れます。急かす必要はありません。ご本人のペースを大切にしています。", "Your nomination has been received. Review begins once the person (or organisation) it features has consented, at least to review. You can send the consent request from this page; there is no need to hurry them — we go at their pace.";
    board_waiting_title: "同意待ち(審査員には表示されません)", "Waiting for consent (not shown to reviewers)";
    board_waiting_lead: "紹介される方の同意(少なくとも「審査のみ」)がまだない推薦です。同意が記録されると、割り当てと審査の対象になります。", "These entries have no consent yet from the person they feature (at least to review). Once it is recorded they can be assigned and reviewed.";
    sign_off_title: "公開前の確認(承認)", "Sign-off before publication";
    sign_off_lead: "公開される文章をそのままお読みください。内容を確認したうえで承認すると、アーカイブに公開されます。準備した方とは別の方が承認します。", "Please read the text exactly as it will be published. When you approve it, it goes live in the archive. Someone other than the person who prepared it signs it off.";
    sign_off_approve: "この内容で承認して公開する", "Approve and publish this text";
    sign_off_scope: "同意の範囲", "Consent scope";
    sign_off_pending_title: "承認を待っている公開用の文章", "Public texts waiting for your sign-off";
    sign_off_none: "承認を待っている文章はありません。", "Nothing is waiting for your sign-off.";
    sign_off_open: "読んで承認する", "Read and sign off";
    sign_off_prepared_by: "準備した人", "Prepared by";
    search_too_long: "検索語が長すぎます。200文字以内にしてください。", "The search is too long. Please use at most 200 characters.";
    upload_ok: "添付しました。", "Attached.";

    consent_page_title: "実践の紹介へのご同意について", "About sharing your practice";
    consent_page_lead: "次の内容で、あなた(またはあなたの所属先)の取り組みが推薦されています。お読みいただき、紹介してよいかどうかをお選びください。同意しないことも、あとから取り下げることもできます。ご同意がない限り、公開されることはありません。", "Your practice (or your organisation's) has been nominated as written below. Please read it and choose whether it may be shared. You may decline, and you may withdraw at any time. Nothing is published without your consent.";
    consent_nominated_by: "推薦した人", "Nominated by";
    consent_choose_scope: "紹介してよい範囲", "How far it may be shared";
    consent_give: "同意する", "I consent";
    consent_decline: "同意しない", "I do not consent";
    consent_withdraw_lead: "この実践の紹介への同意を取り下げることができます。取り下げると、公開中のページはすぐに非公開になります。", "You can withdraw your consent to sharing this practice. If it is published, it will be taken down at once.";
    consent_withdraw_button: "同意を取り下げる", "Withdraw my consent";
    consent_done_title: "ご回答ありがとうございました", "Thank you for your answer";
    consent_done_given: "ご同意を記録しました。取り下げ用のリンクをメールでお送りしました。", "Your consent has been recorded. We have e-mailed you a link to withdraw it at any time.";
    consent_done_declined: "同意しないとのご回答を記録しました。公開されることはありません。", "We have recorded that you do not consent. It will not be published.";
    consent_done_withdrawn: "同意の取り下げを記録しました。", "Your withdrawal has been recorded.";
    consent_current: "現在の状態", "Current state";

    organise_title: "事務局", "Organisers";
    organise_editions: "開催回", "Editions";
    organise_nominations: "推薦一覧", "Nominations";
    organise_settings: "設定", "Settings";
    organise_window: "推薦の受付期間(日本時間)", "Nomination window (Japan time)";
    organise_opens: "受付開始", "Opens";
    organise_closes: "締切", "Closes";
    organise_window_help: "締切の時刻ちょうどに受付を終了します(例: 2027-02-01 00:00 は 1月31日いっぱいまで)。", "Nominations close at exactly this time (e.g. 2027-02-01 00:00 means until the end of 31 January).";
    organise_questions: "区分ごとの追加質問", "Extra questions per category";
    organise_add_question: "質問を追加", "Add question";
    organise_q_kind: "種類", "Type";
    organise_q_label_ja: "質問(日本語)", "Question (Japanese)";
    organise_q_label_en: "質問(英語)", "Question (English)";
    organise_q_help_ja: "説明(日本語)", "Help (Japanese)";
    organise_q_help_en: "説明(英語)", "Help (English)";
    organise_q_options: "選択肢(1行に1つ: 値 | 日本語 | English)", "Options (one per line: value | 日本語 | English)";
    organise_q_required: "必須にする", "Required";
    organise_q_personal: "個人に関わる情報(ブラインド審査で伏せる・公開しない)", "Personal (hidden in blind review, never published)";
    q_short_text: "短い文章", "Short text";
    q_long_text: "長い文章", "Long text";
    q_single_choice: "選択", "Single choice";
    q_number: "数値", "Number";
    filter: "絞り込み", "Filter";
    filter_any: "すべて", "Any";
    export_csv: "CSVで書き出す", "Export CSV";
    count_label: "件", "shown";

    tab_settings: "設定", "Settings";
    tab_nominations: "推薦", "Nominations";
    tab_reviewers: "審査員", "Reviewers";
    tab_assignments: "割り当て", "Assignments";
    tab_rubric: "評価基準", "Rubric";
    tab_ranking: "集計・決定", "Ranking & decisions";
    tab_audit: "記録", "Audit log";
    new_edition: "新しい開催回をつくる", "Create a new edition";
    new_edition_help: "区分と追加質問は直前の開催回から引き継ぎます。最初の開催回では4つの区分を用意します。", "Categories and their questions are copied from the previous edition; the first edition gets the four categories.";
    f_edition_slug: "識別子(URL用、英数字とハイフン)", "Identifier (for URLs: letters, digits, hyphens)";
    f_edition_name_ja: "名称(日本語)", "Name (Japanese)";
    f_edition_name_en: "名称(英語)", "Name (English)";
    f_edition_mode: "形式", "Mode";
    f_edition_years: "年度の表記(例: 2026–2027)", "Years (e.g. 2026–2027)";
    f_edition_start_year: "開始年", "Start year";
    create: "作成する", "Create";
    settings_review: "審査の設定", "Review settings";
    f_blind: "ブラインド審査(推薦者と個人に関わる項目を審査員に見せない)", "Blind review (hide the nominator and personal fields from reviewers)";
    f_peer: "提出後、ほかの審査員の採点を見られるようにする", "Let reviewers see others' scores after submitting their own";
    f_k: "1件あたりの審査員数", "Reviewers per nomination";
    f_min_scored: "正規化に必要な最低採点数", "Sheets needed before normalising a reviewer";
    f_threshold: "意見の分かれ(標準偏差)の目安", "Disagreement threshold (standard deviation)";
    timetable: "日程(日本時間)", "Timetable (Japan time)";
    timetable_help: "開始を空けると前の段階の終了とともに始まります。時刻になると自動で次の段階へ進みます。", "An empty start means the stage begins when the previous one ends. Stages move on automatically at their times.";
    stage_label: "段階", "Stage";
    stage_starts: "開始", "Starts";
    stage_ends: "終了", "Ends";
    stage_current: "現在の段階", "Current stage";
    stage_move: "段階を進める・戻す", "Advance or reopen a stage";
    stage_move_help: "理由は記録に残ります。", "The reason is kept in the audit log.";
    stage_target: "移る段階", "Move to";
    stage_reason: "理由", "Reason";
    stage_move_button: "移る", "Move";
    stage_setup: "準備", "Set-up";
    stage_nominations: "推薦受付", "Nominations";
    stage_screening: "確認(スクリーニング)", "Screening";
    stage_review: "審査", "Review";
    stage_decisions: "決定", "Decisions";
    stage_results: "結果公開", "Results published";
    stage_archived: "アーカイブ", "Archived";
    round_label: "ラウンド", "Round";
    screening_title: "スクリーニング", "Screening";
    screening_decision: "判断", "Decision";
    screening_eligible: "審査対象", "Eligible";
    screening_ineligible: "対象外", "Ineligible";
    screening_needs_info: "追加説明を依頼", "Ask for more information";
    screening_pending: "未確認", "Not yet screened";
    screening_note: "理由・依頼内容(推薦者に伝わります)", "Reason or request (the nominator is told)";
    screening_until: "修正の期限(日本時間)", "Amend until (Japan time)";
    screening_save: "記録する", "Record";
    reviewers_title: "審査員と審査区分", "Reviewers and panels";
    invite_title: "審査員を招待する", "Invite a reviewer";
    invite_help: "招待メール(1回限り・14日間有効のリンク)を送ります。受けた方は、アカウントを作成するか既存のアカウントで参加します。", "We e-mail a link (valid once, for 14 days). The invitee joins with a new or an existing account.";
    invite_send: "招待を送る", "Send invitation";
    invite_sent: "招待を送りました。", "Invitation sent.";
    invite_categories: "担当する区分", "Categories to review";
    pending_invitations: "未回答の招待", "Pending invitations";
    panel_empty: "まだ審査員がいません。", "No reviewers yet.";
    col_load: "担当数", "Load";
    col_cap: "上限", "Cap";
    set_cap: "上限を設定", "Set cap";
    remove: "外す", "Remove";
    conflicts_title: "利益相反", "Conflicts of interest";
    conflicts_help: "記録された審査員は、その推薦を一切見ることができなくなります(一覧・件数・メールを含む)。", "A conflicted reviewer no longer sees that nomination anywhere — lists, counts and e-mails included.";
    conflict_record: "利益相反を記録", "Record conflict";
    conflict_reason: "理由(同じ組織、同じ自治体、支援関係など)", "Reason (same organisation, same municipality, a support relationship…)";
    conflict_none: "記録はありません。", "None recorded.";
    assignments_title: "審査員の割り当て", "Assigning reviewers";
    assignments_help: "審査対象の推薦ごとに、区分の審査員から指定人数を選びます。利益相反と上限を守り、担当数ができるだけ均等になるようにします。すでにある割り当てはそのまま残ります。", "Each eligible nomination gets the set number of reviewers from its category's panel, never a conflicted one, within caps, with loads as even as possible. Existing assignments stay.";
    auto_assign: "自動で割り当てる", "Assign automatically";
    assigned_notice: "割り当てました。足りないところは下に表示しています。", "Assigned. Any gaps are shown below.";
    gap_label: "不足", "short by";
    no_entrants: "審査対象の推薦がありません(スクリーニングで「審査対象」にすると表示されます)。", "No eligible nominations yet (mark them eligible in screening).";
    add_reviewer: "追加", "Add";
    loads_title: "審査員ごとの担当数", "Load per reviewer";
    rubric_title: "評価基準", "Rubric";
    rubric_common: "全区分共通", "All categories";
    rubric_locked: "採点が始まっているため変更できません。", "Scoring has started; this rubric can no longer change.";
    rubric_add: "観点を追加", "Add criterion";
    rubric_own: "この区分専用の評価基準をつくる", "Give this category its own rubric";
    f_weight: "重み", "Weight";
    f_anchors: "目盛りの説明(低い方から1行ずつ: 日本語 | English)", "Scale labels (lowest first, one per line: 日本語 | English)";
    f_comment_required: "コメントを必須にする", "Comment required";
    f_criterion_name_ja: "観点(日本語)", "Criterion (Japanese)";
    f_criterion_name_en: "観点(英語)", "Criterion (English)";
    f_criterion_desc_ja: "説明(日本語)", "Description (Japanese)";
    f_criterion_desc_en: "説明(英語)", "Description (English)";
    ranking_title: "集計と決定", "Ranking and decisions";
    ranking_overview_link: "全カテゴリーの上位に戻る", "Back to the top of every category";
    ranking_help: "素点は重み付き平均、正規化後は審査員ごとの採点の傾向(厳しさ・甘さ)をならした値です。同点の並びは、正規化後→素点→審査数(多い方)→意見の一致(ばらつきの小さい方)の順で決め、すべて同じ場合は同順位です。", "Raw is the weighted mean; normalised evens out each reviewer's tendency to score high or low. Ties are broken by normalised, then raw, then more reviews, then more agreement (smaller spread); entries equal on all of these share a rank.";
    col_rank: "順位", "Rank";
    col_raw: "素点", "Raw";
    col_normalised: "正規化後", "Normalised";
    col_reviews: "審査数", "Reviews";
    col_spread: "ばらつき", "Spread";
    col_flags: "注意", "Flags";
    col_shortlist: "候補", "Shortlist";
    col_outcome: "決定", "Decision";
    flag_disagreement: "意見が分かれています", "Reviewers disagree";
    flag_incomplete: "未完了の審査があります", "Reviews incomplete";
    flag_raw: "採点数が少ないため素点を使用", "Too few sheets: raw used";
    reviewer_stats: "審査員ごとの統計", "Per-reviewer statistics";
    col_count: "件数", "Count";
    col_mean: "平均", "Mean";
    open_round: "候補で次のラウンドを始める", "Start a further round with the shortlist";
    publish_results: "結果を公開して推薦者に知らせる", "Publish results and tell nominators";
    published_notice: "結果を公開しました。推薦者にお知らせを送ります。", "Results published. Nominators are being told.";
    export_scores_csv: "採点CSV", "Scores CSV";
    export_scores_xlsx: "採点Excel", "Scores Excel";
    export_reviewers_csv: "審査員統計CSV", "Reviewer statistics CSV";
    outcome_undecided: "未決定", "Undecided";
    outcome_certified: "実践共有認定", "Practice-sharing certification";
    outcome_not_selected: "選外", "Not selected";
    audit_title: "記録(監査ログ)", "Audit log";
    audit_filter_action: "操作(前方一致)", "Action (prefix)";
    col_at: "日時", "When";
    col_actor: "誰が", "Who";
    col_action: "操作", "Action";
    col_detail: "内容", "Detail";

    review_title: "審査", "Review";
    review_queue_lead: "担当する推薦の一覧です。採点は下書き保存でき、ラウンドが終わるまで見直せます。", "The entries assigned to you. You can save drafts and revise until the round closes.";
    review_progress: "提出済み", "Submitted";
    review_empty: "現在、担当する推薦はありません。", "You have no entries to review at the moment.";
    sheet_not_started: "未着手", "Not started";
    sheet_draft: "下書き", "Draft";
    sheet_submitted: "提出済み", "Submitted";
    review_open: "採点する", "Score";
    review_view: "見る", "View";
    review_conflict_removed: "利益相反の申告を受け付けました。この推薦は一覧から外れました。", "Conflict declared; the entry has left your list.";
    sheet_title: "採点", "Score sheet";
    sheet_blind_note: "ブラインド審査のため、推薦者と個人に関わる項目は表示していません。", "Blind review: the nominator and personal fields are hidden.";
    sheet_internal_comment: "審査メモ(事務局のみ閲覧)", "Internal comment (organisers only)";
    sheet_comment_to_nominee: "推薦者へのコメント(任意)", "Comment to the nominee (optional)";
    sheet_comment_help: "推薦者に届く可能性があります。対話ルールに沿ってお書きください。", "This may reach the nominee. Please write in the spirit of the dialogue rules.";
    sheet_save: "下書きを保存", "Save draft";
    sheet_submit: "提出する", "Submit";
    sheet_saved: "保存しました。", "Saved.";
    sheet_closed: "このラウンドは終了しているため、採点は変更できません。", "This round has closed; scores can no longer change.";
    sheet_peers: "ほかの審査員の採点", "Other reviewers' scores";
    sheet_total: "合計(加重平均)", "Total (weighted mean)";
    conflict_declare: "利益相反を申告する", "Declare a conflict of interest";
    conflict_declare_help: "この推薦と利害関係がある場合は申告してください。申告すると、この推薦はあなたの一覧から外れます。", "If you have a conflict of interest with this entry, declare it: it will leave your list.";
    conflict_declare_button: "申告する", "Declare";
    invite_page_title: "審査員へのお誘い", "Invitation to review";
    invite_accept: "引き受ける", "Accept";
    invite_sign_in_first: "このメールアドレスのアカウントがあります。ログインしてから引き受けてください。", "An account exists for this address. Please sign in, then accept.";
    invite_new_account: "アカウントを作成して引き受けます。", "Create your account to accept.";

    archive_title: "実践アーカイブ", "Good-practice archive";
    archive_lead: "企業・支援・自治体・個人の実践を、うまくいかなかったことも含めて記録しています。どなたでもご覧いただけます。", "Practices of companies, support workers, municipalities and individuals — difficulties included. Open to everyone.";
    search_label: "キーワードで探す", "Search by keyword";
    search_placeholder: "例: 難病 在宅勤務", "e.g. telework, 両立";
    search_button: "検索", "Search";
    facets_title: "絞り込み", "Refine";
    facet_category: "表彰区分", "Category";
    facet_edition: "開催回", "Edition";
    facet_region: "地域", "Region";
    facet_industry: "業種", "Industry";
    facet_size: "規模", "Size";
    facet_tag: "支援・工夫のキーワード", "Support measures";
    facet_badge: "認定・表彰", "Certification and awards";
    clear_filters: "絞り込みを解除", "Clear filters";
    results_count: "件の実践", "practices";
    results_none: "条件に合う実践は見つかりませんでした。言葉を短くするか、絞り込みを外してお試しください。", "No practices match. Try a shorter word or fewer filters.";
    page_prev: "前へ", "Previous";
    page_next: "次へ", "Next";
    page_of: "ページ", "page";
    pagination: "ページ送り", "Pagination";
    badge_certified: "実践共有認定", "Practice-sharing certification";
    record_nominee: "取り組んだ人・組織", "Whose practice";
    record_history: "認定・表彰の歴史", "Certification and award history";
    record_related: "関連する実践", "Related practices";
    record_tags: "キーワード", "Keywords";
    record_published: "掲載日", "Published";
    record_back: "アーカイブへ戻る", "Back to the archive";
    gone_title: "この実践の紹介は終了しました", "This practice is no longer shown";
    latest_practices: "新着の実践", "Latest practices";
    see_all: "すべて見る", "See all";
    admin_archive_title: "アーカイブの管理", "Managing the archive";
    admin_archive_lead: "認定・表彰された推薦から公開版をつくります。公開には、ご本人の同意(公開の範囲)と、準備した人とは別の人の確認が必要です。", "Public versions are made from certified or awarded nominations. Publishing needs the featured person's consent (with an archive scope) and a sign-off by someone other than whoever prepared the text.";
    archive_candidates: "公開の候補", "Candidates";
    archive_records: "公開版", "Public versions";
    archive_prepare: "公開版をつくる", "Prepare the public version";
    archive_open: "編集する", "Edit";
    archive_status_draft: "確認待ち", "Awaiting sign-off";
    archive_status_published: "公開中", "Published";
    archive_status_unpublished: "公開終了", "Unpublished";
    archive_status_withdrawn: "同意取り下げにより終了", "Withdrawn (consent)";
    archive_pending: "未確認の変更あり", "Changes awaiting sign-off";
    edit_public_title: "公開版の編集", "Editing the public version";
    edit_public_help: "左が審査された文章、右が公開する文章です。差分は下に表示します。個人に関わる項目は公開版に含まれません。", "Left: the text reviewers saw. Right: the text to publish. Differences are shown below. Personal fields never appear in the public version.";
    reviewed_text: "審査された文章", "Reviewed text";
    public_text: "公開する文章", "Public text";
    differences: "差分", "Differences";
    f_tags: "キーワード(読点かカンマ区切り)", "Keywords (comma-separated)";
    save_public: "公開版を保存", "Save the public version";
    sign_off: "確認して公開する", "Sign off and publish";
    sign_off_help: "準備した人とは別の事務局員または審査員が確認します。", "Someone other than whoever prepared the text signs it off.";
    unpublish: "公開を終了する", "Take it down";
    published_ok: "公開しました。", "Published.";
    unpublished_ok: "公開を終了しました。", "Taken down.";
    consent_required_note: "ご本人の同意(公開の範囲)がないため、公開できません。", "Cannot be published: there is no consent reaching the archive.";
    anonymised_note: "匿名で公開します。お名前などが本文に残っていないか確認してください。", "Published without names: make sure no name remains in the text.";
    synonyms_title: "同義語", "Synonyms";
    synonyms_help: "同じ意味で使われる言葉を読点かカンマで区切って登録します(例: がん、癌、ガン)。検索でまとめて探せます。", "Register words used alike, separated by commas (e.g. がん, 癌, ガン); a search for one finds all.";
    synonyms_add: "登録", "Add";
    prepared_by: "準備した人", "Prepared by";
    tab_feedback: "講評", "Feedback";
    feedback_title: "講評のお知らせ", "Your feedback";
    feedback_intro: "ご推薦いただいた取り組みを、審査員が一つひとつ読みました。評価の観点ごとの受け止めと、審査員からのことばをお届けします。", "The reviewers read every practice shared with us. Here is how each aspect of yours was received, and what the reviewers wrote to you.";
    feedback_outcome_title: "結果", "Result";
    feedback_bands_title: "観点ごとの受け止め", "How each aspect was received";
    feedback_bands_help: "同じ部門の取り組みの中での位置を、4つの段階で示しています。点数や順位、ほかの取り組みの内容はお伝えしていません。", "Where this practice stood among the entries of the same category, in four steps. Scores, places and other entries are not shared.";
    feedback_band_none: "段階はありません", "No step given";
    feedback_no_bands: "この部門は取り組みの数が少ない({n}件未満)ため、観点ごとの段階はお示ししていません。ほかの方の評価が推し量れないようにするためです。", "This category had few entries (fewer than {n}), so no steps are shown for each aspect: that keeps anyone from inferring how others were scored.";
    feedback_comments_title: "審査員からのことば", "From the reviewers";
    feedback_no_comments: "今回は、審査員からのことばはありません。", "There are no notes from the reviewers this time.";
    feedback_thanks: "大切な経験を分かち合ってくださり、ありがとうございました。", "Thank you for sharing your experience with us.";
    feedback_back: "推薦の詳細に戻る", "Back to the nomination";
    feedback_print_hint: "このページはそのまま印刷できます。", "This page prints as it is.";
    feedback_open: "講評を読む", "Read your feedback";
    feedback_preview_open: "講評のプレビュー(推薦者に見える内容)", "Preview the feedback (what the nominator will see)";
    feedback_preview_released: "事務局のプレビューです。結果は公開済みで、推薦者はこの内容を読めます。", "Organisers' preview. The results are published: the nominator can read this.";
    feedback_preview_unreleased: "事務局のプレビューです。推薦者には、結果の公開後にこの内容が届きます。", "Organisers' preview. The nominator will see this once the results are published.";
    moderation_title: "推薦者へのコメントの確認", "Comments to nominees";
    moderation_lead: "審査員が推薦者に宛てて書いたコメントは、事務局が読んでから届きます。対話のルールに沿っているかを確かめ、そのまま届ける・言葉を整えて届ける(理由を記録)・届けない(理由を記録)のいずれかを選んでください。", "What reviewers write to nominees reaches them only after the organisers have read it. Check it against the dialogue rules, then pass it on as written, pass it on edited (with a reason), or hold it back (with a reason).";
    moderation_empty: "推薦者へのコメントはまだありません。", "No comments to nominees yet.";
    moderation_flagged: "対話のルールの点から確認したい言葉:", "Words worth a second look under the dialogue rules:";
    moderation_reason_recorded: "記録された理由:", "Reason recorded:";
    moderation_text: "推薦者に届ける文", "Text the nominee will read";
    moderation_reason: "整えた・届けない理由(事務局のみ)", "Reason for editing or holding back (organisers only)";
    moderation_accept: "そのまま届ける", "Pass on as written";
    moderation_edit: "整えた文を届ける", "Pass on as edited";
    moderation_hold: "届けない", "Hold back";
    moderation_state_pending: "未確認", "Not read yet";
    moderation_state_accepted: "そのまま届ける", "Passed on as written";
    moderation_state_edited: "整えて届ける", "Passed on edited";
    moderation_state_held: "届けない", "Held back";
    tab_calibration: "審査のふりかえり", "Calibration";
    calibration_title: "審査のふりかえり(キャリブレーション)", "Reviewer calibration";
    calibration_lead: "審査員ごとの採点の傾向を、審査員全体と比べて示します。次の開催回で審査員に説明するための資料です。個々の審査員を評価するためのものではありません。", "How each reviewer scored compared with the whole panel, for briefing next edition's reviewers. It describes scoring habits; it is not an assessment of anyone.";
    calibration_rounds: "ラウンド", "Rounds";
    calibration_round: "ラウンド", "Round";
    calibration_panel: "審査員全体の平均:", "Panel mean:";
    calibration_reviewer: "審査員", "Reviewer";
    calibration_offset: "全体との差", "Offset from panel";
    calibration_spread_ratio: "ばらつきの比", "Spread ratio";
    calibration_moved: "正規化で順位が動いた担当件数", "Entries whose place normalisation moved";
    calibration_not_normalised: "(採点数が少なく正規化なし)", "(too few sheets to normalise)";
    calibration_help: "全体との差: 審査員の平均から全体の平均を引いた値(プラスは高めにつける傾向)。ばらつきの比: 1より小さいと、点数の幅を狭く使う傾向です。", "Offset: the reviewer's mean minus the panel's (positive: scores higher than the panel). Spread ratio: below 1, the reviewer used a narrower part of the scale.";
    calibration_disagreements: "審査員の評価が最も分かれた推薦", "Entries the reviewers disagreed on most";
    calibration_no_disagreements: "2人以上が採点した推薦はまだありません。", "No entry has two or more sheets yet.";
    calibration_low_high: "最低 – 最高(採点数)", "Lowest – highest (sheets)";
    calibration_export: "ふりかえりをCSVで書き出す", "Export the calibration as CSV";
    pace_title: "自分のペースで", "At your own pace";
    pace_help: "体調の波(ゆらぎ)があるときは、無理をせず一時休止や返却ができます。理由を書く必要はありません。", "When your health fluctuates, you can pause this entry or hand it back. You do not need to give a reason.";
    pace_paused_note: "一時休止中です。事務局には休止中であることだけが伝わります。", "Paused. The organisers only see that it is paused.";
    pace_pause: "一時休止する", "Pause";
    pace_resume: "再開する", "Resume";
    pace_hand_back: "この推薦を返却する", "Hand this entry back";
    pace_hand_back_help: "返却すると、この推薦はあなたの一覧から外れ、事務局が別の審査員にお願いします。書きかけの採点は消えます(提出済みの採点は返却できません)。", "It leaves your list and the organisers ask another reviewer. An unsubmitted sheet is discarded (a submitted sheet cannot be handed back).";
    pace_note: "事務局への一言(任意。事務局だけが読みます)", "A note for the organisers (optional; only they read it)";
    pace_hand_back_button: "返却する", "Hand back";
    pace_returned_done: "推薦を返却しました。ご無理のないように。", "The entry was handed back. Take care.";
    board_paused: "一時休止中", "paused";
    board_returned_by: "返却:", "Handed back by";
    extension_title: "締切の延長", "More time";
    extension_ask: "締切の延長をお願いする", "Ask for more time";
    extension_change: "お願いの内容を変える", "Change your request";
    extension_help: "体調の波(ゆらぎ)や入院などで締切に間に合わないときは、短い延長をお願いできます。事務局が推薦ごとに判断し、結果をメールでお知らせします。", "If your health or a hospital stay keeps you from the deadline, you can ask for a short extension. The organisers decide for each nomination and tell you by e-mail.";
    extension_days: "延長してほしい日数", "How many more days";
    extension_reason: "理由", "Reason";
    extension_reason_help: "事務局だけが読みます。審査員や公開ページには出ません。詳しく書く必要はありません。", "Only the organisers read it; never reviewers or public pages. A few words are enough.";
    extension_send: "延長をお願いする", "Send the request";
    extension_pending: "延長のお願いを受け付けました。希望の締切:", "Your request is with the organisers. Asked until:";
    extension_granted: "締切が延長されています:", "Extended until:";
    extension_declined: "今回は延長をお受けできませんでした。", "The extension could not be granted this time.";
    extension_reason_organisers: "理由(事務局のみ)", "Reason (organisers only)";
    extension_until: "延長後の締切(日本時間)", "New deadline (Japan time)";
    extension_grant: "延長を認める", "Grant";
    extension_decline: "今回は見送る", "Decline";
    extension_requests_title: "締切延長のお願い", "Requests for more time";
    extension_requests_empty: "待っているお願いはありません。", "No request is waiting.";
    account_profile: "お名前と言語", "Name and language";
    account_display_name: "表示名", "Display name";
    account_language: "言語", "Language";
    account_language_help: "画面とメールの言語です。", "The language of the pages and of every mail to you.";
    account_save: "保存する", "Save";
    account_saved_profile: "保存しました。", "Saved.";
    account_saved_email: "新しいアドレスに確認メールを送りました。メールのリンクから確定してください。", "We sent a link to the new address. Open it to confirm the change.";
    account_saved_email_confirmed: "メールアドレスを変更しました。安全のため、すべての端末でログアウトしました。新しいアドレスでログインしてください。", "Your e-mail address was changed. For your safety every device was signed out: please sign in with the new address.";
    account_saved_password: "パスワードを変更しました。ほかの端末ではログアウトしました。", "Your password was changed; other devices were signed out.";
    account_email: "メールアドレス", "E-mail address";
    account_current_email: "現在のアドレス:", "Current address:";
    account_pending_email: "確認待ちの新しいアドレス:", "Waiting for confirmation:";
    account_email_help: "新しいアドレスに確認のリンクを送ります。リンクを開いて確定するまで、今のアドレスのままです。", "We send a link to the new address; nothing changes until it is confirmed there.";
    account_new_email: "新しいメールアドレス", "New e-mail address";
    account_current_password: "現在のパスワード", "Current password";
    account_email_send: "確認メールを送る", "Send the link";
    account_password: "パスワード", "Password";
    account_new_password: "新しいパスワード", "New password";
    account_password_help: "10文字以上。", "At least 10 characters.";
    account_password_confirm: "新しいパスワード(確認)", "New password (again)";
    account_password_save: "パスワードを変更する", "Change password";
    account_my_data: "あなたのデータ", "Your data";
    account_my_data_help: "このサイトがあなたについて保存している内容(アカウント、推薦と添付ファイルの一覧、同意、審査で書いた内容、イベントの申込み)を、JSONとCSVのZIPファイルでダウンロードできます。", "Download everything this site holds about you (account, nominations and their files, consents, what you wrote as a reviewer, event registrations) as JSON and CSV in one zip.";
    account_download: "データをダウンロード(ZIP)", "Download my data (zip)";
    account_delete_link: "アカウントを削除する", "Delete my account";
    delete_title: "アカウントの削除", "Delete your account";
    delete_lead: "削除すると元に戻せません。何が消え、何が残るか(その理由)を確認してください。", "Deletion cannot be undone. Here is what is erased, and what stays and why.";
    delete_erased_heading: "消去されるもの", "Erased";
    delete_erased_account: "アカウント(お名前、メールアドレス、パスワード、言語)、ログイン情報、審査員としての登録", "Your account (name, address, password, language), sign-ins, and reviewer panels";
    delete_erased_nomination: "推薦:", "Nomination:";
    delete_kept_heading: "残るもの(推薦者のお名前は消えます)", "What stays (without your name)";
    delete_nothing_kept: "残るものはありません。", "Nothing stays.";
    delete_kept_nomination: "審査や公開が進んでいるため、推薦者なしで残ります。", "already in review or published, so it stays without its nominator.";
    delete_kept_record: "公開中の記録は、ご本人の同意の範囲でのみ残ります:", "Its public record stays only as far as its consent reaches:";
    delete_kept_reviews: "審査で記入した採点とコメント(決定の公正さのため、お名前なしで残ります)", "The review sheets you wrote (they stay without your name, so decisions stay fair)";
    delete_kept_registrations: "イベントの申込みはアカウントから切り離され、確認メールのリンクから取り消せます。", "Event registrations are unlinked from the account; cancel them with the link in their confirmation mail.";
    delete_consent_note: "自薦の推薦の同意は、削除の前に推薦のページで取り下げることができます。", "For your own self-nominations, you can withdraw your consent on the nomination page before deleting.";
    delete_download_first: "削除の前にデータをダウンロードする", "Download your data first";
    delete_confirm_label: "内容を確認し、アカウントを削除します", "I have read this and want to delete my account";
    delete_button: "アカウントを削除する", "Delete my account";
    deleted_title: "アカウントを削除しました", "Your account was deleted";
    deleted_body: "アカウントを削除しました。残った内容の説明をメールでお送りしました。これまでありがとうございました。", "Your account was deleted. We sent you a mail about what remains and why. Thank you for taking part.";
    deleted_home: "トップページへ", "To the home page";
    confirm_email_title: "メールアドレスの確認", "Confirm your e-mail address";
    confirm_email_lead: "このアドレスをアカウントのメールアドレスにします。よろしければ「確定する」を押してください。", "This address becomes your account's address. Press Confirm to go ahead.";
    confirm_email_button: "確定する", "Confirm";
    featured_data_title: "あなたについて保存している内容", "What we hold about you";
    featured_data_lead: "推薦者が入力したあなたの情報と、同意の記録です。ダウンロードや消去ができます。", "What the nominator entered about you, and the record of your consent. You can download or erase it.";
    featured_data_kana: "ふりがな", "Reading (kana)";
    featured_data_email: "メールアドレス", "E-mail address";
    featured_data_public: "公開中", "Published";
    featured_data_download: "ダウンロード(JSON)", "Download (JSON)";
    featured_erase: "私の情報を消去する", "Erase my details";
    featured_erase_help: "お名前・ふりがな・メールアドレスを推薦から消去し、同意を取り下げます。公開中の記録は取り下げられます。このリンクは使えなくなります。", "Your name, its reading and your address leave the nomination and your consent is withdrawn; a published record is taken down. This link stops working.";
    featured_erase_button: "消去する", "Erase";
    featured_erased_done: "あなたの情報を消去し、同意を取り下げました。", "Your details were erased and your consent withdrawn.";
    word_yes: "はい", "Yes";
    word_no: "いいえ", "No";
}

/// The words for a validation problem.
/// The language of the request being rendered: the middleware's choice (cookie, then
/// `Accept-Language`), read from the request the page is rendered for.
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    use leptos::prelude::use_context;
    match use_context::<http::request::Parts>() {
        Some(p) => {
            if let Some(l) = p.extensions.get::<Locale>() {
                return *l;
            }
            let cookie = p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok());
            let accept = p.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            Locale::negotiate(cookie, accept)
        }
        None => Locale::Ja,
    }
}

pub fn problem_message(problem: &Problem, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    match problem {
        Problem::WrongPassword => {
            if ja {
                "パスワードが正しくありません。".into()
            } else {
                "The password is not correct.".into()
            }
        }
        Problem::Unchanged => {
            if ja {
                "今と同じ内容です。".into()
            } else {
                "This is already the current one.".into()
            }
        }
        Problem::LastAdmin => {
            if ja {
                "あなたはこのサイトの最後の管理者です。先に別の方を管理者にしてから、アカウントを削除してください。"
                    .into()
            } else {
                "You are the site's last administrator. Make someone else an administrator first, then delete your account.".into()
            }
        }
        Problem::OwnAddress => {
            if ja {
                "ご自身のメールアドレスは入力できません。紹介する方ご本人(または所属先のご担当の方)のアドレスを入力してください。ご自身の実践なら「自薦」を選んでください。".into()
            } else {
                "This is your own address. Please enter the address of the person (or organisation contact) you are nominating; for your own practice, choose self-nomination.".into()
            }
        }
        Problem::NameInPublicText => {
            if ja {
                "匿名で公開する記録の本文やタグに、お名前が含まれています。お名前を除いてください。".into()
            } else {
                "This record is published anonymously, but its text or tags contain the name. Please remove the name."
                    .into()
            }
        }
        Problem::DailyLimit { max } => {
            if ja {
                format!("同意のお願いは1日{max}回までです。明日以降にあらためてお送りください。")
            } else {
                format!("Consent requests can be sent at most {max} times a day. Please try again tomorrow.")
            }
        }
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
        Problem::InvalidKana => {
            if ja {
                "ひらがなまたはカタカナで入力してください(例: さいたま はなこ)。".into()
            } else {
                "Please write this in hiragana or katakana (e.g. さいたま はなこ).".into()
            }
        }
        Problem::InvalidPhone => {
            if ja {
                "電話番号を数字で入力してください(例: 048-123-4567)。".into()
            } else {
                "Please enter a phone number in digits (e.g. 048-123-4567).".into()
            }
        }
        Problem::VenueFull => {
            if ja {
                "会場の席はすべて埋まりました。オンライン参加をお選びください。".into()
            } else {
                "The venue is now full. Please choose online participation.".into()
            }
        }
        Problem::VenueClosed => {
            if ja {
                "現在、会場参加は受け付けていません。オンライン参加をお選びください。".into()
            } else {
                "Venue places are no longer taken. Please choose online participation.".into()
            }
        }
        Problem::AlreadyRegistered => {
            if ja {
                "このメールアドレスではすでにお申し込みがあります。お申し込み時のメールをご確認ください。".into()
            } else {
                "This e-mail address is already registered. Please look for the confirmation mail we sent.".into()
            }
        }
        Problem::NoOnline => {
            if ja {
                "この催しはオンライン参加を行いません。".into()
            } else {
                "This event has no online participation.".into()
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

/// "Top 20 of 250 shown, with every shortlisted or decided entry" and the link to show all.
pub fn ranking_shown(shown: usize, total: usize, locale: Locale) -> (String, String) {
    match locale {
        Locale::Ja => (
            format!("全{total}件のうち、上位と候補・決定済みの{shown}件を表示しています。"),
            format!("{total}件すべてを表示"),
        ),
        Locale::En => (
            format!("Showing {shown} of {total}: the top entries and every shortlisted or decided one."),
            format!("Show all {total}"),
        ),
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

pub fn nominator_status_label(s: crate::domain::nomination::NominatorStatus, locale: Locale) -> String {
    use crate::domain::nomination::{NominatorStatus as N, Outcome};
    let t = locale.texts();
    match s {
        N::Draft => t.status_draft.into(),
        N::Received => t.status_received.into(),
        N::InScreening => t.status_screening.into(),
        N::NeedsInformation => t.status_needs_info.into(),
        N::InReview => t.status_review.into(),
        N::Certified => t.status_certified.into(),
        N::Awarded(o) => {
            let level = match o {
                Outcome::GrandPrize => t.award_grand_prize,
                Outcome::Excellence => t.award_excellence,
                _ => t.award_special,
            };
            format!("{}({level})", t.status_awarded)
        }
        N::NotSelected => t.status_not_selected.into(),
        N::Withdrawn => t.status_withdrawn.into(),
    }
}

pub fn consent_status_label(s: crate::domain::consent::ConsentStatus, locale: Locale) -> &'static str {
    use crate::domain::consent::ConsentStatus as S;
    let t = locale.texts();
    match s {
        S::NotAsked => t.consent_not_asked,
        S::Requested => t.consent_requested,
        S::Given => t.consent_given,
        S::Declined => t.consent_declined,
        S::Withdrawn => t.consent_withdrawn,
    }
}

pub fn scope_label(s: crate::domain::consent::ConsentScope, locale: Locale) -> &'static str {
    use crate::domain::consent::ConsentScope as S;
    let t = locale.texts();
    match s {
        S::ReviewOnly => t.scope_review_only,
        S::ArchiveAnonymised => t.scope_archive_anonymised,
        S::ArchiveNamed => t.scope_archive_named,
    }
}

pub fn nominee_type_label(n: crate::domain::nomination::NomineeType, locale: Locale) -> &'static str {
    use crate::domain::nomination::NomineeType as N;
    let t = locale.texts();
    match n {
        N::Person => t.nominee_person,
        N::Company => t.nominee_company,
        N::SupportOrganisation => t.nominee_support_organisation,
        N::Municipality => t.nominee_municipality,
        N::Group => t.nominee_group,
    }
}

pub fn question_kind_label(k: crate::domain::category::QuestionKind, locale: Locale) -> &'static str {
    use crate::domain::category::QuestionKind as K;
    let t = locale.texts();
    match k {
        K::ShortText => t.q_short_text,
        K::LongText => t.q_long_text,
        K::SingleChoice => t.q_single_choice,
        K::Number => t.q_number,
    }
}

/// (label, help) of a long section.
pub fn section_label(key: &str, locale: Locale) -> (&'static str, &'static str) {
    let t = locale.texts();
    match key {
        "background" => (t.f_background, t.f_background_help),
        "practice" => (t.f_practice, t.f_practice_help),
        "involved" => (t.f_involved, t.f_involved_help),
        "accommodation" => (t.f_accommodation, t.f_accommodation_help),
        "challenges" => (t.f_challenges, t.f_challenges_help),
        "outcomes" => (t.f_outcomes, t.f_outcomes_help),
        "lessons" => (t.f_lessons, t.f_lessons_help),
        _ => ("", ""),
    }
}

/// The label of any nomination field, for error summaries that name the field.
pub fn nomination_field_label(field: &str, locale: Locale) -> Option<&'static str> {
    let t = locale.texts();
    Some(match field {
        "title" => t.f_title,
        "nominee_type" => t.f_nominee_type,
        "nominee_name" => t.f_nominee_name,
        "nominee_kana" => t.f_nominee_kana,
        "region" => t.f_region,
        "industry" => t.f_industry,
        "org_size" => t.f_org_size,
        "summary" => t.f_summary,
        "links" => t.f_links,
        "relationship" => t.f_relationship,
        "featured_email" => t.f_featured_email,
        "self_consent_scope" => t.f_self_consent,
        "dialogue_ack" => t.rules_title,
        "file" => t.view_attachments,
        "category" => t.f_category,
        key => {
            let (label, _) = section_label(key, locale);
            if label.is_empty() {
                return None;
            }
            label
        }
    })
}

/// Field names of the pace and account forms (extension, hand-back, profile, e-mail, password).
pub fn pace_field_label(field: &str, locale: Locale) -> Option<&'static str> {
    let t = locale.texts();
    Some(match field {
        "days" => t.extension_days,
        "reason" => t.extension_reason,
        "until" => t.extension_until,
        "display_name" => t.account_display_name,
        "email" => t.account_new_email,
        "password" | "current_password" => t.account_current_password,
        "new_password" => t.account_new_password,
        "password_confirm" => t.account_password_confirm,
        "confirm" => t.delete_confirm_label,
        _ => return None,
    })
}

pub fn pace_labels(locale: Locale) -> fn(&str) -> Option<&'static str> {
    match locale {
        Locale::Ja => |f| pace_field_label(f, Locale::Ja),
        Locale::En => |f| pace_field_label(f, Locale::En),
    }
}

/// "7日" / "7 days".
pub fn days_label(days: i64, locale: Locale) -> String {
    match locale {
        Locale::Ja => format!("{days}日"),
        Locale::En if days == 1 => "1 day".into(),
        Locale::En => format!("{days} days"),
    }
}

pub fn nomination_labels(locale: Locale) -> fn(&str) -> Option<&'static str> {
    match locale {
        Locale::Ja => |f| nomination_field_label(f, Locale::Ja),
        Locale::En => |f| nomination_field_label(f, Locale::En),
    }
}

pub fn stage_label(kind: crate::domain::edition::StageKind, round: i32, locale: Locale) -> String {
    use crate::domain::edition::StageKind as S;
    let t = locale.texts();
    let base = match kind {
        S::Setup => t.stage_setup,
        S::Nominations => t.stage_nominations,
        S::Screening => t.stage_screening,
        S::Review => t.stage_review,
        S::Decisions => t.stage_decisions,
        S::Results => t.stage_results,
        S::Archived => t.stage_archived,
    };
    if kind == S::Review {
        format!("{base}({} {})", t.round_label, round.max(1))
    } else {
        base.to_string()
    }
}

pub fn outcome_label(o: crate::domain::nomination::Outcome, locale: Locale) -> &'static str {
    use crate::domain::nomination::Outcome as O;
    let t = locale.texts();
    match o {
        O::Undecided => t.outcome_undecided,
        O::Certified => t.outcome_certified,
        O::GrandPrize => t.award_grand_prize,
        O::Excellence => t.award_excellence,
        O::Special => t.award_special,
        O::NotSelected => t.outcome_not_selected,
    }
}

pub fn screening_label(s: crate::domain::nomination::Screening, locale: Locale) -> &'static str {
    use crate::domain::nomination::Screening as S;
    let t = locale.texts();
    match s {
        S::Pending => t.screening_pending,
        S::Eligible => t.screening_eligible,
        S::Ineligible => t.screening_ineligible,
        S::NeedsInfo => t.screening_needs_info,
    }
}

pub fn sheet_status_label(s: crate::wire::SheetStatus, locale: Locale) -> &'static str {
    use crate::wire::SheetStatus as S;
    let t = locale.texts();
    match s {
        S::NotStarted => t.sheet_not_started,
        S::Draft => t.sheet_draft,
        S::Submitted => t.sheet_submitted,
    }
}

pub fn badge_label(b: crate::domain::archive::BadgeKind, locale: Locale) -> &'static str {
    use crate::domain::archive::BadgeKind as B;
    let t = locale.texts();
    match b {
        B::Certified => t.badge_certified,
        B::GrandPrize => t.award_grand_prize,
        B::Excellence => t.award_excellence,
        B::Special => t.award_special,
    }
}

pub fn practice_status_label(s: crate::domain::archive::PracticeStatus, locale: Locale) -> &'static str {
    use crate::domain::archive::PracticeStatus as S;
    let t = locale.texts();
    match s {
        S::Draft => t.archive_status_draft,
        S::Published => t.archive_status_published,
        S::Unpublished => t.archive_status_unpublished,
        S::Withdrawn => t.archive_status_withdrawn,
    }
}

pub fn reg_status_label(s: crate::domain::forum::RegStatus, locale: Locale) -> &'static str {
    use crate::domain::forum::RegStatus as S;
    let ja = locale == Locale::Ja;
    match s {
        S::Venue => {
            if ja {
                "会場参加"
            } else {
                "At the venue"
            }
        }
        S::Online => {
            if ja {
                "オンライン参加"
            } else {
                "Online"
            }
        }
        S::Waiting => {
            if ja {
                "キャンセル待ち"
            } else {
                "Waiting list"
            }
        }
        S::Cancelled => {
            if ja {
                "キャンセル"
            } else {
                "Cancelled"
            }
        }
    }
}

pub fn session_kind_label(k: crate::domain::forum::SessionKind, locale: Locale) -> &'static str {
    use crate::domain::forum::SessionKind as K;
    let ja = locale == Locale::Ja;
    match k {
        K::Keynote => {
            if ja {
                "基調講演"
            } else {
                "Keynote"
            }
        }
        K::Talk => {
            if ja {
                "講演・報告"
            } else {
                "Talk"
            }
        }
        K::Practice => {
            if ja {
                "実践発表"
            } else {
                "Practice presentation"
            }
        }
        K::Panel => {
            if ja {
                "パネルディスカッション"
            } else {
                "Panel discussion"
            }
        }
        K::Break => {
            if ja {
                "休憩"
            } else {
                "Break"
            }
        }
    }
}

pub fn question_status_label(s: crate::domain::forum::QuestionStatus, locale: Locale) -> &'static str {
    use crate::domain::forum::QuestionStatus as Q;
    let ja = locale == Locale::Ja;
    match s {
        Q::Pending => {
            if ja {
                "未確認"
            } else {
                "Pending"
            }
        }
        Q::Accepted => {
            if ja {
                "採用"
            } else {
                "Accepted"
            }
        }
        Q::Hidden => {
            if ja {
                "非表示"
            } else {
                "Hidden"
            }
        }
        Q::Merged => {
            if ja {
                "統合"
            } else {
                "Merged"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_choice_wins_over_browser_language() {
        assert_eq!(Locale::negotiate(Some("a=1; gp_lang=en"), Some("ja")), Locale::En);
        assert_eq!(Locale::negotiate(Some("gp_lang=ja"), Some("en-GB,en")), Locale::Ja);
    }

    #[test]
    fn accept_language_is_read_by_quality_then_order() {
        assert_eq!(Locale::negotiate(None, Some("en-US,en;q=0.9,ja;q=0.8")), Locale::En);
        assert_eq!(Locale::negotiate(None, Some("fr,ja;q=0.5,en;q=0.4")), Locale::Ja);
        assert_eq!(Locale::negotiate(None, Some("en;q=0.5,ja;q=0.5")), Locale::En);
        assert_eq!(Locale::negotiate(None, Some("ja;q=0,en;q=0.1")), Locale::En);
    }

    #[test]
    fn japanese_is_the_default() {
        assert_eq!(Locale::negotiate(None, None), Locale::Ja);
        assert_eq!(Locale::negotiate(Some("gp_lang=xx"), Some("de, fr")), Locale::Ja);
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
