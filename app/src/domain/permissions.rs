//! What each role may do in each stage of an edition: one table, asked by every server function
//! that acts on an edition.
use serde::{Deserialize, Serialize};

use super::edition::StageKind;

/// The role a person plays in one edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EditionRole {
    Nominator,
    Reviewer,
    Organiser,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Start, save and submit a nomination.
    EditNomination,
    /// Amend after organisers asked for more information.
    AmendNomination,
    /// Ask for (nominator) or grant (organiser) more time after the deadline.
    ExtendDeadline,
    WithdrawNomination,
    RequestConsent,
    Screen,
    /// Invite reviewers, form panels, record known conflicts.
    ManagePanels,
    Assign,
    DeclareConflict,
    Score,
    EditRubric,
    /// Shortlist, open a further round, decide outcomes.
    Decide,
    PublishResults,
    ExportScores,
    ReadAudit,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::EditNomination,
        Action::AmendNomination,
        Action::ExtendDeadline,
        Action::WithdrawNomination,
        Action::RequestConsent,
        Action::Screen,
        Action::ManagePanels,
        Action::Assign,
        Action::DeclareConflict,
        Action::Score,
        Action::EditRubric,
        Action::Decide,
        Action::PublishResults,
        Action::ExportScores,
        Action::ReadAudit,
    ];
}

/// The table. Rows: role; columns: stage. Anything not listed is refused.
pub fn allowed(role: EditionRole, action: Action, stage: StageKind) -> bool {
    use Action as A;
    use EditionRole as R;
    use StageKind as S;
    match (role, action) {
        // Nominators
        (R::Nominator, A::EditNomination) => stage == S::Nominations,
        (R::Nominator, A::AmendNomination) => matches!(stage, S::Screening),
        (R::Nominator | R::Organiser, A::ExtendDeadline) => matches!(stage, S::Nominations | S::Screening),
        (R::Nominator, A::WithdrawNomination) => stage != S::Setup,
        (R::Nominator, A::RequestConsent) => stage != S::Setup,
        (R::Nominator, _) => false,
        // Reviewers
        (R::Reviewer, A::DeclareConflict) => matches!(stage, S::Screening | S::Review),
        (R::Reviewer, A::Score) => stage == S::Review,
        (R::Reviewer, _) => false,
        // Organisers
        (
            R::Organiser,
            A::EditNomination | A::AmendNomination | A::WithdrawNomination | A::DeclareConflict | A::Score,
        ) => false,
        (R::Organiser, A::RequestConsent) => stage != S::Setup,
        (R::Organiser, A::Screen) => stage == S::Screening,
        (R::Organiser, A::ManagePanels) => {
            matches!(stage, S::Setup | S::Nominations | S::Screening | S::Review)
        }
        (R::Organiser, A::Assign) => matches!(stage, S::Screening | S::Review),
        // Changes are refused anyway once scores exist for the rubric (checked by the service).
        (R::Organiser, A::EditRubric) => {
            matches!(stage, S::Setup | S::Nominations | S::Screening | S::Review)
        }
        (R::Organiser, A::Decide) => stage == S::Decisions,
        (R::Organiser, A::PublishResults) => stage == S::Decisions,
        (R::Organiser, A::ExportScores) => {
            matches!(stage, S::Review | S::Decisions | S::Results | S::Archived)
        }
        (R::Organiser, A::ReadAudit) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use EditionRole as R;

    /// Expected cells, written out stage by stage: Setup, Nominations, Screening, Review,
    /// Decisions, Results, Archived.
    fn expected(role: R, action: A) -> [bool; 7] {
        const N: bool = false;
        const Y: bool = true;
        match (role, action) {
            (R::Nominator, A::EditNomination) => [N, Y, N, N, N, N, N],
            (R::Nominator, A::AmendNomination) => [N, N, Y, N, N, N, N],
            (R::Nominator | R::Organiser, A::ExtendDeadline) => [N, Y, Y, N, N, N, N],
            (R::Nominator, A::WithdrawNomination) => [N, Y, Y, Y, Y, Y, Y],
            (R::Nominator, A::RequestConsent) => [N, Y, Y, Y, Y, Y, Y],
            (R::Reviewer, A::DeclareConflict) => [N, N, Y, Y, N, N, N],
            (R::Reviewer, A::Score) => [N, N, N, Y, N, N, N],
            (R::Organiser, A::RequestConsent) => [N, Y, Y, Y, Y, Y, Y],
            (R::Organiser, A::Screen) => [N, N, Y, N, N, N, N],
            (R::Organiser, A::ManagePanels) => [Y, Y, Y, Y, N, N, N],
            (R::Organiser, A::Assign) => [N, N, Y, Y, N, N, N],
            (R::Organiser, A::EditRubric) => [Y, Y, Y, Y, N, N, N],
            (R::Organiser, A::Decide) => [N, N, N, N, Y, N, N],
            (R::Organiser, A::PublishResults) => [N, N, N, N, Y, N, N],
            (R::Organiser, A::ExportScores) => [N, N, N, Y, Y, Y, Y],
            (R::Organiser, A::ReadAudit) => [Y, Y, Y, Y, Y, Y, Y],
            _ => [N; 7],
        }
    }

    #[test]
    fn every_cell_of_the_table() {
        let mut checked = 0;
        for role in [R::Nominator, R::Reviewer, R::Organiser] {
            for action in A::ALL {
                let want = expected(role, action);
                for (i, stage) in StageKind::ALL.into_iter().enumerate() {
                    assert_eq!(allowed(role, action, stage), want[i], "{role:?} {action:?} in {stage:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 3 * Action::ALL.len() * 7);
    }

    #[test]
    fn reviewers_score_only_during_review_and_never_organise() {
        for stage in StageKind::ALL {
            assert_eq!(allowed(R::Reviewer, A::Score, stage), stage == StageKind::Review);
            for a in [A::Screen, A::Assign, A::Decide, A::PublishResults, A::ExportScores, A::ReadAudit] {
                assert!(!allowed(R::Reviewer, a, stage));
            }
        }
    }
}
