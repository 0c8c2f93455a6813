//! Assigning reviewers to eligible nominations: automatically (the domain plan) or by hand.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::Utc;

use crate::domain::assignment::{plan, Entry, Gap, Reviewer};
use crate::domain::category::CategoryKey;
use crate::domain::consent::ConsentState;
use crate::domain::ids::NominationId;
use crate::domain::nomination::{NominationStatus, Screening};
use crate::domain::policy::{may_be_assigned, NominationFacts, Op};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{edition, nomination};
use crate::server::{mail, policy, repo, repo::audit::Actor, service::editions, AppState};
use crate::wire::Viewer;
use crate::wire::{AssignmentBoard, AssignmentRow, SheetStatus};
use sea_orm::ConnectionTrait;

/// Nominations that take part in a round: eligible ones in round 1, shortlisted ones later.
/// Split into those that have reached review (consent at least to review) and those still
/// waiting for the featured person's consent, which no reviewer sees yet.
pub async fn entrants<C: ConnectionTrait>(
    c: &C,
    e: &edition::Model,
    round: i32,
) -> Result<(Vec<nomination::Model>, Vec<nomination::Model>), AppError> {
    let all: Vec<nomination::Model> = repo::nominations::list_by_edition(c, e.id)
        .await?
        .into_iter()
        .filter(|n| {
            n.status == NominationStatus::Submitted
                && n.screening == Screening::Eligible
                && (round <= 1 || n.shortlisted)
        })
        .collect();
    let consents: HashMap<i64, ConsentState> =
        repo::consents::find_many(c, &all.iter().map(|n| n.id).collect::<Vec<_>>())
            .await?
            .iter()
            .map(|r| (r.nomination_id, repo::consents::to_state(r)))
            .collect();
    Ok(all.into_iter().partition(|n| consents.get(&n.id).is_some_and(ConsentState::allows_review)))
}

/// Who of the edition's panels may be given which entry: the policy's `may_be_assigned` over
/// facts read now (role, panel, recorded conflicts, nominated it, featured in it).
struct Eligibility {
    /// (nomination, reviewer) pairs that are allowed.
    allowed: HashSet<(i64, i64)>,
}

impl Eligibility {
    async fn load<C: ConnectionTrait>(
        c: &C,
        e: &edition::Model,
        entrants: &[nomination::Model],
        members: &[crate::server::entities::panel_member::Model],
    ) -> Result<Eligibility, AppError> {
        let ids: Vec<i64> = entrants.iter().map(|n| n.id).collect();
        let recorded: HashSet<(i64, i64)> =
            repo::review::conflicts_for(c, &ids).await?.into_iter().map(|x| (x.nomination_id, x.user_id)).collect();
        let mut member_ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
        member_ids.sort_unstable();
        member_ids.dedup();
        let users: HashMap<i64, crate::server::entities::user::Model> =
            repo::users::find_many(c, &member_ids).await?.into_iter().map(|u| (u.id, u)).collect();
        let panels: HashSet<(i64, i64)> = members.iter().map(|m| (m.category_id, m.user_id)).collect();
        let mut allowed = HashSet::new();
        for n in entrants {
            for (id, u) in &users {
                let facts = NominationFacts {
                    edition: policy::edition_facts(e),
                    status: NominationStatus::Submitted,
                    owner: n.nominator_id == *id,
                    featured: policy::is_featured(n, &u.email) || (n.relationship == "self" && n.nominator_id == *id),
                    self_nomination: n.relationship == "self",
                    consent: ConsentState::NOT_ASKED,
                    on_panel: panels.contains(&(n.category_id, *id)),
                    conflict_recorded: recorded.contains(&(n.id, *id)),
                };
                let role = u.role;
                if !u.disabled && may_be_assigned(role, &facts) {
                    allowed.insert((n.id, *id));
                }
            }
        }
        Ok(Eligibility { allowed })
    }

    fn may(&self, nomination: i64, reviewer: i64) -> bool {
        self.allowed.contains(&(nomination, reviewer))
    }
}

pub async fn board(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<AssignmentBoard, AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    let round = e.current_round.max(1);
    let (entrants, waiting) = entrants(c, &e, round).await?;
    let ids: Vec<i64> = entrants.iter().map(|n| n.id).collect();
    let assignments = repo::review::assignments_for_nominations(c, &ids, round).await?;
    let reviews =
        repo::review::reviews_for_assignments(c, &assignments.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let status: HashMap<i64, SheetStatus> = reviews
        .iter()
        .map(|r| (r.assignment_id, if r.status == "submitted" { SheetStatus::Submitted } else { SheetStatus::Draft }))
        .collect();
    let members = repo::review::panel_members(c, e.id).await?;
    let eligible = Eligibility::load(c, &e, &entrants, &members).await?;
    let mut names: HashMap<i64, String> = HashMap::new();
    for m in &members {
        if let std::collections::hash_map::Entry::Vacant(v) = names.entry(m.user_id) {
            v.insert(repo::users::find(c, m.user_id).await?.map(|u| u.display_name).unwrap_or_default());
        }
    }
    let cats: HashMap<i64, CategoryKey> =
        repo::editions::categories(c, e.id).await?.into_iter().map(|c| (c.id, c.key)).collect();
    let k = e.reviewers_per_nomination.max(1) as usize;
    let mut returned: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for r in repo::pace::returns_for(c, &ids, round).await? {
        let name = match names.get(&r.reviewer_id) {
            Some(n) => n.clone(),
            None => repo::users::find(c, r.reviewer_id).await?.map(|u| u.display_name).unwrap_or_default(),
        };
        returned.entry(r.nomination_id).or_default().push((name, r.note));
    }
    let mut by_nom: HashMap<i64, Vec<&crate::server::entities::assignment::Model>> = HashMap::new();
    for a in &assignments {
        by_nom.entry(a.nomination_id).or_default().push(a);
    }
    let rows = entrants
        .iter()
        .map(|n| {
            let assigned = by_nom.get(&n.id).cloned().unwrap_or_default();
            let assigned_ids: Vec<i64> = assigned.iter().map(|a| a.reviewer_id).collect();
            let mut available: Vec<(i64, String)> = members
                .iter()
                .filter(|m| {
                    m.category_id == n.category_id
                        && !assigned_ids.contains(&m.user_id)
                        && eligible.may(n.id, m.user_id)
                })
                .map(|m| (m.user_id, names.get(&m.user_id).cloned().unwrap_or_default()))
                .collect();
            available.dedup();
            AssignmentRow {
                nomination_id: NominationId(n.id),
                title: n.title.clone(),
                category: cats.get(&n.category_id).copied().unwrap_or(CategoryKey::People),
                reviewers: assigned
                    .iter()
                    .map(|a| {
                        (
                            a.id,
                            names.get(&a.reviewer_id).cloned().unwrap_or_else(|| format!("#{}", a.reviewer_id)),
                            status.get(&a.id).copied().unwrap_or(SheetStatus::NotStarted),
                        )
                    })
                    .collect(),
                available,
                gap: k.saturating_sub(assigned.len()),
                paused: assigned.iter().filter(|a| a.paused_at.is_some()).map(|a| a.id).collect(),
                returned: returned.remove(&n.id).unwrap_or_default(),
            }
        })
        .collect();
    let mut load: BTreeMap<i64, usize> = BTreeMap::new();
    for a in &assignments {
        *load.entry(a.reviewer_id).or_default() += 1;
    }
    let mut caps: BTreeMap<i64, Option<i32>> = BTreeMap::new();
    for m in &members {
        caps.insert(m.user_id, m.load_cap);
    }
    let loads = caps
        .iter()
        .map(|(id, cap)| (names.get(id).cloned().unwrap_or_default(), load.get(id).copied().unwrap_or(0), *cap))
        .collect();
    Ok(AssignmentBoard {
        edition: editions::summary(c, &e, Utc::now()).await?,
        round,
        k,
        rows,
        loads,
        waiting_for_consent: waiting.iter().map(|n| (NominationId(n.id), n.title.clone())).collect(),
    })
}

/// Runs the domain plan for the current round and stores what it adds. Returns the gaps.
pub async fn auto(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<Vec<Gap>, AppError> {
    let tx = state.db.begin().await?;
    let e = policy::edition(&*tx, who, Op::Assign, edition_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let round = e.current_round.max(1);
    let (entrants, _waiting) = entrants(&*tx, &e, round).await?;
    let ids: Vec<i64> = entrants.iter().map(|n| n.id).collect();
    let existing = repo::review::assignments_for_nominations(&*tx, &ids, round).await?;
    let members = repo::review::panel_members(&*tx, e.id).await?;
    let eligible = Eligibility::load(&*tx, &e, &entrants, &members).await?;
    // The plan avoids every pair the policy refuses (conflicts in the widest sense, reviewers
    // no longer invited).
    let mut conflicts: HashSet<(i64, i64)> = entrants
        .iter()
        .flat_map(|n| members.iter().map(move |m| (n.id, m.user_id)))
        .filter(|(n, r)| !eligible.may(*n, *r))
        .collect();
    // Nor does it give back what a reviewer handed back this round (an organiser still can).
    conflicts.extend(
        repo::pace::returns_for(&*tx, &ids, round).await?.into_iter().map(|r| (r.nomination_id, r.reviewer_id)),
    );
    let mut reviewers: BTreeMap<i64, Reviewer> = BTreeMap::new();
    for m in members {
        let r =
            reviewers.entry(m.user_id).or_insert(Reviewer { id: m.user_id, categories: BTreeSet::new(), cap: None });
        r.categories.insert(m.category_id);
        if let Some(cap) = m.load_cap {
            r.cap = Some(cap.max(0) as usize);
        }
    }
    let entries: Vec<Entry> = entrants
        .iter()
        .map(|n| Entry {
            nomination: n.id,
            category: n.category_id,
            assigned: existing.iter().filter(|a| a.nomination_id == n.id).map(|a| a.reviewer_id).collect(),
        })
        .collect();
    let reviewers: Vec<Reviewer> = reviewers.into_values().collect();
    let p = plan(&entries, &reviewers, &conflicts, e.reviewers_per_nomination.max(1) as usize);
    let now = Utc::now();
    let mut per_reviewer: BTreeMap<i64, usize> = BTreeMap::new();
    for (n, r) in &p.added {
        if repo::review::insert_assignment(&*tx, *n, *r, round, "auto", now).await?.is_some() {
            *per_reviewer.entry(*r).or_default() += 1;
            repo::audit::record(
                &*tx,
                Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
                "assignment.added",
                Some(e.id),
                Some(*n),
                serde_json::json!({"reviewer": r, "round": round, "source": "auto"}),
            )
            .await?;
        }
    }
    for (r, count) in per_reviewer {
        notify_reviewer(&*tx, state, &e, r, count).await?;
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(p.gaps)
}

/// Tells a reviewer how many entries are waiting; the mail names none of them.
async fn notify_reviewer<C: ConnectionTrait>(
    c: &C,
    state: &AppState,
    e: &edition::Model,
    reviewer: i64,
    count: usize,
) -> Result<(), AppError> {
    let Some(u) = repo::users::find(c, reviewer).await? else { return Ok(()) };
    let locale = crate::server::service::panels::locale_of(&u);
    let (subject, message) = match locale {
        crate::i18n::Locale::Ja => (
            format!("審査のご依頼({}件)", count),
            format!("{} の審査をお願いする推薦が{}件あります。審査ページからご確認ください。", e.name_ja, count),
        ),
        crate::i18n::Locale::En => (
            format!("{count} entries to review"),
            format!("You have {count} new entries to review in {}. Please open your review page.", e.name_en),
        ),
    };
    mail::queue(
        c,
        &u.email,
        mail::notice(
            "review_assigned",
            locale,
            &u.display_name,
            subject,
            &message,
            Some(&state.config.link("/review")),
        ),
    )
    .await?;
    Ok(())
}

pub async fn add(
    state: &AppState,
    who: Option<&Viewer>,
    nomination_id: NominationId,
    reviewer_id: i64,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::AddAssignment, nomination_id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let (n, e) = (access.nomination, access.edition);
    // The reviewer being assigned must be one the policy lets review this entry.
    let reviewer = repo::users::find(&*tx, reviewer_id).await?.filter(|u| !u.disabled);
    let allowed = match &reviewer {
        Some(u) => {
            let facts = policy::facts_for(&*tx, Some((u.id, u.email.as_str())), &n, &e, access.consent).await?;
            may_be_assigned(u.role, &facts)
        }
        None => false,
    };
    if !allowed {
        return Err(AppError::Validation(vec![FieldError::new("reviewer", Problem::InvalidChoice)]));
    }
    let round = e.current_round.max(1);
    if repo::review::insert_assignment(&*tx, n.id, reviewer_id, round, "manual", Utc::now()).await?.is_some() {
        repo::audit::record(
            &*tx,
            Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
            "assignment.added",
            Some(e.id),
            Some(n.id),
            serde_json::json!({"reviewer": reviewer_id, "round": round, "source": "manual"}),
        )
        .await?;
        notify_reviewer(&*tx, state, &e, reviewer_id, 1).await?;
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Removes an assignment that has no submitted sheet (submitted sheets are never thrown away).
pub async fn remove(state: &AppState, who: Option<&Viewer>, assignment_id: i64) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::RemoveAssignment, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let (a, n) = (access.assignment, access.nomination);
    if repo::review::review_for_assignment(&*tx, a.id).await?.is_some_and(|r| r.status == "submitted") {
        return Err(AppError::InvalidTransition);
    }
    repo::review::delete_assignment(&*tx, a.id).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "assignment.removed",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"reviewer": a.reviewer_id, "round": a.round}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
