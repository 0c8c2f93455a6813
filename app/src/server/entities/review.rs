use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub rubric_id: i64,
    pub status: String,
    pub internal_comment: String,
    pub comment_to_nominee: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// What became of `comment_to_nominee`: pending, accepted, edited or held (see
    /// `domain::feedback::CommentState`). Any change of the comment makes it pending again.
    pub nominee_comment_state: String,
    pub nominee_comment_final: String,
    pub nominee_comment_reason: String,
    pub nominee_comment_by: Option<i64>,
    pub nominee_comment_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
