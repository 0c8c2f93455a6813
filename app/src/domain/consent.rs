//! Consent of the person (or organisation) a nomination features — the brief's hard rule:
//! without recorded consent nothing is published. Every change is a transition of this machine.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsentStatus {
    NotAsked,
    Requested,
    Given,
    Declined,
    Withdrawn,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 5] = [
        ConsentStatus::NotAsked,
        ConsentStatus::Requested,
        ConsentStatus::Given,
        ConsentStatus::Declined,
        ConsentStatus::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ConsentStatus::NotAsked => "not_asked",
            ConsentStatus::Requested => "requested",
            ConsentStatus::Given => "given",
            ConsentStatus::Declined => "declined",
            ConsentStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<ConsentStatus> {
        ConsentStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// How far the consent reaches. Photos are a separate yes/no beside the scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConsentScope {
    ReviewOnly,
    ArchiveAnonymised,
    ArchiveNamed,
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 3] =
        [ConsentScope::ReviewOnly, ConsentScope::ArchiveAnonymised, ConsentScope::ArchiveNamed];

    pub fn key(self) -> &'static str {
        match self {
            ConsentScope::ReviewOnly => "review_only",
            ConsentScope::ArchiveAnonymised => "archive_anonymised",
            ConsentScope::ArchiveNamed => "archive_named",
        }
    }

    pub fn parse(key: &str) -> Option<ConsentScope> {
        ConsentScope::ALL.into_iter().find(|s| s.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    pub status: ConsentStatus,
    pub scope: Option<ConsentScope>,
    pub photos: bool,
}

impl ConsentState {
    pub const NOT_ASKED: ConsentState = ConsentState { status: ConsentStatus::NotAsked, scope: None, photos: false };

    /// The archive may show the practice only under a given consent whose scope reaches it.
    pub fn allows_archive(&self) -> bool {
        self.status == ConsentStatus::Given
            && matches!(self.scope, Some(ConsentScope::ArchiveAnonymised | ConsentScope::ArchiveNamed))
    }

    /// Reviewers may read the entry: consent given, whatever its scope (review only or more).
    pub fn allows_review(&self) -> bool {
        self.status == ConsentStatus::Given && self.scope.is_some()
    }

    /// Names of persons may appear only under "archive with names".
    pub fn allows_names(&self) -> bool {
        self.status == ConsentStatus::Given && self.scope == Some(ConsentScope::ArchiveNamed)
    }

    pub fn allows_photos(&self) -> bool {
        self.allows_archive() && self.photos
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentActor {
    Nominator,
    FeaturedPerson,
    Organiser,
}

impl ConsentActor {
    pub fn key(self) -> &'static str {
        match self {
            ConsentActor::Nominator => "nominator",
            ConsentActor::FeaturedPerson => "featured",
            ConsentActor::Organiser => "organiser",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentEvent {
    /// Ask the featured person (an e-mail with a signed link goes out).
    Request,
    /// Give, or limit, consent with a scope.
    Give {
        scope: ConsentScope,
        photos: bool,
    },
    Decline,
    Withdraw,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ConsentError {
    #[error("this actor may not make this change")]
    NotAllowed,
    #[error("this change is not possible in the current state")]
    InvalidFromState,
}

/// The one place that decides whether a consent change may happen.
///
/// - A request goes to someone other than the nominator; after a refusal or withdrawal only
///   organisers may ask again (people must not be pressed by repeated requests).
/// - The featured person gives, limits or declines through their link; organisers may record
///   a consent or refusal obtained in writing. On a self-nomination the nominator is the
///   featured person and records their own consent.
/// - The featured person, the nominator or an organiser may withdraw at any time.
pub fn transition(
    state: ConsentState,
    actor: ConsentActor,
    event: ConsentEvent,
    self_nomination: bool,
) -> Result<ConsentState, ConsentError> {
    use ConsentActor as A;
    use ConsentStatus as S;
    // On a self-nomination the nominator speaks for the featured person.
    let actor = if self_nomination && actor == A::Nominator { A::FeaturedPerson } else { actor };
    match event {
        ConsentEvent::Request => {
            if self_nomination || actor == A::FeaturedPerson {
                return Err(ConsentError::NotAllowed);
            }
            match (state.status, actor) {
                (S::NotAsked | S::Requested, _) => {
                    Ok(ConsentState { status: S::Requested, scope: None, photos: false })
                }
                (S::Declined | S::Withdrawn, A::Organiser) => {
                    Ok(ConsentState { status: S::Requested, scope: None, photos: false })
                }
                (S::Declined | S::Withdrawn, _) => Err(ConsentError::NotAllowed),
                (S::Given, _) => Err(ConsentError::InvalidFromState),
            }
        }
        ConsentEvent::Give { scope, photos } => {
            let ok = match actor {
                A::FeaturedPerson if self_nomination => true,
                A::FeaturedPerson => matches!(state.status, S::Requested | S::Given),
                A::Organiser => true,
                A::Nominator => return Err(ConsentError::NotAllowed),
            };
            if !ok {
                return Err(ConsentError::InvalidFromState);
            }
            Ok(ConsentState {
                status: S::Given,
                scope: Some(scope),
                photos: photos && scope != ConsentScope::ReviewOnly,
            })
        }
        ConsentEvent::Decline => match (state.status, actor) {
            (S::Requested, A::FeaturedPerson) => Ok(ConsentState { status: S::Declined, scope: None, photos: false }),
            (S::NotAsked, A::FeaturedPerson) if self_nomination => {
                Ok(ConsentState { status: S::Declined, scope: None, photos: false })
            }
            (S::NotAsked | S::Requested, A::Organiser) => {
                Ok(ConsentState { status: S::Declined, scope: None, photos: false })
            }
            (_, A::Nominator) => Err(ConsentError::NotAllowed),
            _ => Err(ConsentError::InvalidFromState),
        },
        ConsentEvent::Withdraw => match state.status {
            S::Given => Ok(ConsentState { status: S::Withdrawn, scope: None, photos: false }),
            _ => Err(ConsentError::InvalidFromState),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsentActor as A;
    use ConsentStatus as S;

    fn st(status: S, scope: Option<ConsentScope>) -> ConsentState {
        ConsentState { status, scope, photos: false }
    }

    const NAMED: ConsentEvent = ConsentEvent::Give { scope: ConsentScope::ArchiveNamed, photos: true };

    #[test]
    fn request_transitions() {
        // (from, actor, expected)
        let table = [
            (S::NotAsked, A::Nominator, Ok(S::Requested)),
            (S::NotAsked, A::Organiser, Ok(S::Requested)),
            (S::NotAsked, A::FeaturedPerson, Err(ConsentError::NotAllowed)),
            (S::Requested, A::Nominator, Ok(S::Requested)),
            (S::Given, A::Nominator, Err(ConsentError::InvalidFromState)),
            (S::Given, A::Organiser, Err(ConsentError::InvalidFromState)),
            (S::Declined, A::Nominator, Err(ConsentError::NotAllowed)),
            (S::Declined, A::Organiser, Ok(S::Requested)),
            (S::Withdrawn, A::Nominator, Err(ConsentError::NotAllowed)),
            (S::Withdrawn, A::Organiser, Ok(S::Requested)),
        ];
        for (from, actor, expected) in table {
            let got = transition(st(from, None), actor, ConsentEvent::Request, false).map(|s| s.status);
            assert_eq!(got, expected, "request from {from:?} by {actor:?}");
        }
    }

    #[test]
    fn a_self_nomination_is_never_requested() {
        for actor in [A::Nominator, A::Organiser, A::FeaturedPerson] {
            assert_eq!(
                transition(ConsentState::NOT_ASKED, actor, ConsentEvent::Request, true),
                Err(ConsentError::NotAllowed)
            );
        }
    }

    #[test]
    fn give_transitions() {
        let table = [
            (S::Requested, A::FeaturedPerson, Ok(S::Given)),
            (S::Given, A::FeaturedPerson, Ok(S::Given)),
            (S::NotAsked, A::FeaturedPerson, Err(ConsentError::InvalidFromState)),
            (S::Declined, A::FeaturedPerson, Err(ConsentError::InvalidFromState)),
            (S::Withdrawn, A::FeaturedPerson, Err(ConsentError::InvalidFromState)),
            (S::NotAsked, A::Organiser, Ok(S::Given)),
            (S::Declined, A::Organiser, Ok(S::Given)),
            (S::Requested, A::Nominator, Err(ConsentError::NotAllowed)),
            (S::NotAsked, A::Nominator, Err(ConsentError::NotAllowed)),
        ];
        for (from, actor, expected) in table {
            let got = transition(st(from, None), actor, NAMED, false).map(|s| s.status);
            assert_eq!(got, expected, "give from {from:?} by {actor:?}");
        }
    }

    #[test]
    fn the_self_nominator_records_their_own_consent() {
        let s = transition(ConsentState::NOT_ASKED, A::Nominator, NAMED, true).unwrap();
        assert_eq!(s, ConsentState { status: S::Given, scope: Some(ConsentScope::ArchiveNamed), photos: true });
        let w = transition(s, A::Nominator, ConsentEvent::Withdraw, true).unwrap();
        assert_eq!(w.status, S::Withdrawn);
        let again =
            transition(w, A::Nominator, ConsentEvent::Give { scope: ConsentScope::ReviewOnly, photos: false }, true)
                .unwrap();
        assert_eq!(again.scope, Some(ConsentScope::ReviewOnly));
    }

    #[test]
    fn limiting_consent_keeps_it_given_with_the_narrower_scope() {
        let given = transition(st(S::Requested, None), A::FeaturedPerson, NAMED, false).unwrap();
        let limited = transition(
            given,
            A::FeaturedPerson,
            ConsentEvent::Give { scope: ConsentScope::ArchiveAnonymised, photos: true },
            false,
        )
        .unwrap();
        assert_eq!(limited.scope, Some(ConsentScope::ArchiveAnonymised));
        assert!(limited.allows_archive() && !limited.allows_names());
    }

    #[test]
    fn photos_need_an_archive_scope() {
        let s = transition(
            st(S::Requested, None),
            A::FeaturedPerson,
            ConsentEvent::Give { scope: ConsentScope::ReviewOnly, photos: true },
            false,
        )
        .unwrap();
        assert!(!s.photos && !s.allows_photos());
    }

    #[test]
    fn decline_transitions() {
        let table = [
            (S::Requested, A::FeaturedPerson, Ok(S::Declined)),
            (S::NotAsked, A::FeaturedPerson, Err(ConsentError::InvalidFromState)),
            (S::Given, A::FeaturedPerson, Err(ConsentError::InvalidFromState)),
            (S::NotAsked, A::Organiser, Ok(S::Declined)),
            (S::Requested, A::Organiser, Ok(S::Declined)),
            (S::Given, A::Organiser, Err(ConsentError::InvalidFromState)),
            (S::Requested, A::Nominator, Err(ConsentError::NotAllowed)),
        ];
        for (from, actor, expected) in table {
            let got = transition(st(from, None), actor, ConsentEvent::Decline, false).map(|s| s.status);
            assert_eq!(got, expected, "decline from {from:?} by {actor:?}");
        }
    }

    #[test]
    fn anyone_concerned_may_withdraw_a_given_consent_at_any_time() {
        let given = st(S::Given, Some(ConsentScope::ArchiveNamed));
        for actor in [A::FeaturedPerson, A::Nominator, A::Organiser] {
            let w = transition(given, actor, ConsentEvent::Withdraw, false).unwrap();
            assert_eq!(w, ConsentState { status: S::Withdrawn, scope: None, photos: false });
            assert!(!w.allows_archive());
        }
        for from in [S::NotAsked, S::Requested, S::Declined, S::Withdrawn] {
            assert_eq!(
                transition(st(from, None), A::Organiser, ConsentEvent::Withdraw, false),
                Err(ConsentError::InvalidFromState)
            );
        }
    }

    #[test]
    fn only_a_given_archive_scope_allows_the_archive() {
        let cases = [
            (st(S::Given, Some(ConsentScope::ArchiveNamed)), true, true),
            (st(S::Given, Some(ConsentScope::ArchiveAnonymised)), true, false),
            (st(S::Given, Some(ConsentScope::ReviewOnly)), false, false),
            (st(S::Requested, None), false, false),
            (st(S::Declined, None), false, false),
            (st(S::Withdrawn, Some(ConsentScope::ArchiveNamed)), false, false),
            (ConsentState::NOT_ASKED, false, false),
        ];
        for (state, archive, names) in cases {
            assert_eq!(state.allows_archive(), archive, "{state:?}");
            assert_eq!(state.allows_names(), names, "{state:?}");
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::parse(s.key()), Some(s));
        }
        for s in ConsentScope::ALL {
            assert_eq!(ConsentScope::parse(s.key()), Some(s));
        }
    }
}
