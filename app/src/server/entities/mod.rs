//! sea-orm entities: the only place table shapes are described for queries. Never sent to the browser.
pub mod assignment;
pub mod assignment_return;
pub mod attachment;
pub mod audit;
pub mod auth_attempt;
pub mod category;
pub mod category_question;
pub mod conflict;
pub mod consent;
pub mod consent_event;
pub mod consent_token;
pub mod criterion;
pub mod edition;
pub mod edition_stage;
pub mod email_change;
pub mod event;
pub mod event_question;
pub mod event_registration;
pub mod event_session;
pub mod event_speaker;
pub mod extension_request;
pub mod instance_secret;
pub mod nomination;
pub mod outbox;
pub mod panel_member;
pub mod password_reset;
pub mod practice;
pub mod practice_badge;
pub mod practice_tag;
pub mod review;
pub mod reviewer_invitation;
pub mod rubric;
pub mod score;
pub mod session;
pub mod synonym;
pub mod user;

/// The domain's state enums stored as their keys. Columns typed with them turn a stored value
/// into the enum at the repository edge; an unknown value is an error when read (a corrupt or
/// hand-edited row is reported, never silently read as a default).
macro_rules! stored_as_key {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for sea_orm::Value {
            fn from(v: $t) -> Self {
                v.key().to_string().into()
            }
        }

        impl sea_orm::TryGetable for $t {
            fn try_get_by<I: sea_orm::ColIdx>(res: &sea_orm::QueryResult, idx: I) -> Result<Self, sea_orm::TryGetError> {
                let s = <String as sea_orm::TryGetable>::try_get_by(res, idx)?;
                <$t>::parse(&s).ok_or_else(|| {
                    sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                        "{}: unknown stored value {s:?}",
                        stringify!($t)
                    )))
                })
            }
        }

        impl sea_orm::sea_query::ValueType for $t {
            fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let s = <String as sea_orm::sea_query::ValueType>::try_from(v)?;
                <$t>::parse(&s).ok_or(sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($t).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        impl sea_orm::sea_query::Nullable for $t {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$t> for $t {
            fn into_active_value(self) -> sea_orm::ActiveValue<$t> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    )*};
}

stored_as_key!(
    crate::domain::account::Role,
    crate::domain::nomination::NominationStatus,
    crate::domain::nomination::Screening,
    crate::domain::nomination::Outcome,
    crate::domain::consent::ConsentStatus,
    crate::domain::consent::ConsentScope,
    crate::domain::archive::PracticeStatus,
    crate::domain::edition::StageKind,
    crate::domain::edition::EditionMode,
    crate::domain::category::CategoryKey,
    crate::domain::category::QuestionKind,
    crate::domain::archive::BadgeKind,
    crate::domain::forum::SessionKind,
    crate::domain::forum::Attendance,
    crate::domain::forum::RegStatus,
    crate::domain::forum::QuestionStatus,
);
