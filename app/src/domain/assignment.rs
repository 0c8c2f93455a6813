//! Automatic assignment of reviewers: each eligible nomination gets `k` reviewers from its
//! category's panel, never a conflicted one, within each reviewer's load cap, with loads as
//! even as possible. Existing assignments are kept; gaps are reported, never hidden.
use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub nomination: i64,
    pub category: i64,
    /// Reviewers already assigned (kept as they are).
    pub assigned: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewer {
    pub id: i64,
    /// Categories whose panel this reviewer sits on.
    pub categories: BTreeSet<i64>,
    /// Most entries this reviewer may take in this round; `None` for no cap.
    pub cap: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub nomination: i64,
    pub wanted: usize,
    pub got: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New (nomination, reviewer) pairs to add.
    pub added: Vec<(i64, i64)>,
    pub gaps: Vec<Gap>,
}

/// Plans assignments. Deterministic: the same input always gives the same plan.
///
/// Slots are filled in layers (each entry's first reviewer, then second …); within a layer,
/// entries with the fewest possible reviewers go first (they have the least choice), and each
/// slot goes to the eligible reviewer with the lowest load, then the lowest id. A
/// final pass moves assignments from the most to the least loaded reviewer wherever a move
/// keeps every rule, until max − min ≤ 1 or no move helps.
pub fn plan(entries: &[Entry], reviewers: &[Reviewer], conflicts: &HashSet<(i64, i64)>, k: usize) -> Plan {
    let mut load: BTreeMap<i64, usize> = reviewers.iter().map(|r| (r.id, 0)).collect();
    for e in entries {
        for r in &e.assigned {
            if let Some(l) = load.get_mut(r) {
                *l += 1;
            }
        }
    }
    let cap = |r: &Reviewer| r.cap.unwrap_or(usize::MAX);
    let eligible =
        |e: &Entry, r: &Reviewer| r.categories.contains(&e.category) && !conflicts.contains(&(e.nomination, r.id));

    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_by_key(|e| (reviewers.iter().filter(|r| eligible(e, r)).count(), e.nomination));

    let mut chosen: BTreeMap<i64, Vec<i64>> = entries.iter().map(|e| (e.nomination, e.assigned.clone())).collect();
    let mut added = vec![];
    // Layer by layer: every entry gets its first reviewer before any gets a second, so scarce
    // reviewers are shared out rather than spent on one entry.
    for layer in 1..=k {
        for e in &order {
            let current = chosen.get(&e.nomination).cloned().unwrap_or_default();
            if current.len() >= layer {
                continue;
            }
            let pick = reviewers
                .iter()
                .filter(|r| eligible(e, r) && !current.contains(&r.id) && load[&r.id] < cap(r))
                .min_by_key(|r| (load[&r.id], r.id));
            if let Some(r) = pick {
                *load.entry(r.id).or_default() += 1;
                chosen.entry(e.nomination).or_default().push(r.id);
                added.push((e.nomination, r.id));
            }
        }
    }

    // Balance: only new assignments move, so kept ones stay where they were.
    let by_id: BTreeMap<i64, &Reviewer> = reviewers.iter().map(|r| (r.id, r)).collect();
    let entry_of: BTreeMap<i64, &Entry> = entries.iter().map(|e| (e.nomination, e)).collect();
    for _ in 0..(added.len() * 2 + 1) {
        let (Some((&max_r, &max_l)), Some((&min_r, &min_l))) = (
            load.iter().max_by_key(|(id, l)| (**l, std::cmp::Reverse(**id))),
            load.iter().min_by_key(|(id, l)| (**l, **id)),
        ) else {
            break;
        };
        if max_l <= min_l + 1 {
            break;
        }
        let mut moved = false;
        // Try to move one new assignment from any over-loaded reviewer to any under-loaded one.
        'outer: for (from, from_l) in load.clone().iter().rev() {
            for (to, to_l) in load.clone().iter() {
                if from_l <= &(to_l + 1) {
                    continue;
                }
                let Some(to_rev) = by_id.get(to) else {
                    continue;
                };
                if *to_l >= cap(to_rev) {
                    continue;
                }
                for slot in added.iter_mut() {
                    if slot.1 != *from {
                        continue;
                    }
                    let e = entry_of[&slot.0];
                    let members = &chosen[&slot.0];
                    if eligible(e, to_rev) && !members.contains(to) {
                        let nomination = slot.0;
                        slot.1 = *to;
                        if let Some(m) = chosen.get_mut(&nomination) {
                            m.retain(|r| r != from);
                            m.push(*to);
                        }
                        *load.entry(*from).or_default() -= 1;
                        *load.entry(*to).or_default() += 1;
                        moved = true;
                        break 'outer;
                    }
                }
            }
        }
        let _ = (max_r, min_r);
        if !moved {
            break;
        }
    }

    let gaps = entries
        .iter()
        .filter_map(|e| {
            let got = chosen.get(&e.nomination).map(Vec::len).unwrap_or(0);
            (got < k).then_some(Gap { nomination: e.nomination, wanted: k, got })
        })
        .collect();
    Plan { added, gaps }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(id: i64, cats: &[i64], cap: Option<usize>) -> Reviewer {
        Reviewer { id, categories: cats.iter().copied().collect(), cap }
    }

    fn entry(n: i64, cat: i64) -> Entry {
        Entry { nomination: n, category: cat, assigned: vec![] }
    }

    fn loads(plan: &Plan, entries: &[Entry], reviewers: &[Reviewer]) -> BTreeMap<i64, usize> {
        let mut l: BTreeMap<i64, usize> = reviewers.iter().map(|r| (r.id, 0)).collect();
        for e in entries {
            for r in &e.assigned {
                *l.get_mut(r).unwrap() += 1;
            }
        }
        for (_, r) in &plan.added {
            *l.get_mut(r).unwrap() += 1;
        }
        l
    }

    fn per_nomination(plan: &Plan, entries: &[Entry]) -> BTreeMap<i64, Vec<i64>> {
        let mut m: BTreeMap<i64, Vec<i64>> = entries.iter().map(|e| (e.nomination, e.assigned.clone())).collect();
        for (n, r) in &plan.added {
            m.get_mut(n).unwrap().push(*r);
        }
        m
    }

    #[test]
    fn every_entry_gets_k_distinct_reviewers_with_even_loads() {
        let reviewers: Vec<_> = (1..=5).map(|i| rev(i, &[1], None)).collect();
        let entries: Vec<_> = (100..110).map(|n| entry(n, 1)).collect();
        let p = plan(&entries, &reviewers, &HashSet::new(), 3);
        assert!(p.gaps.is_empty());
        for (_, rs) in per_nomination(&p, &entries) {
            let distinct: BTreeSet<_> = rs.iter().collect();
            assert_eq!((rs.len(), distinct.len()), (3, 3));
        }
        let l = loads(&p, &entries, &reviewers);
        assert_eq!(l.values().sum::<usize>(), 30);
        assert!(l.values().max().unwrap() - l.values().min().unwrap() <= 1, "{l:?}");
    }

    #[test]
    fn conflicted_reviewers_are_never_assigned() {
        let reviewers: Vec<_> = (1..=4).map(|i| rev(i, &[1], None)).collect();
        let entries = vec![entry(100, 1), entry(101, 1)];
        let conflicts: HashSet<_> = [(100, 1), (100, 2), (101, 3)].into_iter().collect();
        let p = plan(&entries, &reviewers, &conflicts, 2);
        for (n, r) in &p.added {
            assert!(!conflicts.contains(&(*n, *r)), "{n} got conflicted {r}");
        }
        assert_eq!(per_nomination(&p, &entries)[&100], vec![3, 4]);
        assert!(p.gaps.is_empty());
    }

    #[test]
    fn reviewers_come_from_the_entrys_category_panel() {
        let reviewers = vec![rev(1, &[1], None), rev(2, &[2], None), rev(3, &[1, 2], None)];
        let entries = vec![entry(100, 1), entry(200, 2)];
        let p = plan(&entries, &reviewers, &HashSet::new(), 2);
        let m = per_nomination(&p, &entries);
        assert_eq!(m[&100].iter().copied().collect::<BTreeSet<_>>(), [1, 3].into());
        assert_eq!(m[&200].iter().copied().collect::<BTreeSet<_>>(), [2, 3].into());
    }

    #[test]
    fn caps_are_respected_and_gaps_are_reported() {
        let reviewers = vec![rev(1, &[1], Some(1)), rev(2, &[1], Some(1)), rev(3, &[1], None)];
        let entries = vec![entry(100, 1), entry(101, 1)];
        let p = plan(&entries, &reviewers, &HashSet::new(), 3);
        let l = loads(&p, &entries, &reviewers);
        assert!(l[&1] <= 1 && l[&2] <= 1);
        // Reviewer 3 can take both entries, 1 and 2 one each: two reviewers per entry at most.
        assert_eq!(p.gaps.len(), 2);
        assert!(p.gaps.iter().all(|g| g.wanted == 3 && g.got == 2));
    }

    #[test]
    fn too_few_unconflicted_reviewers_is_a_gap_not_a_silent_shortfall() {
        let reviewers = vec![rev(1, &[1], None), rev(2, &[1], None)];
        let entries = vec![entry(100, 1)];
        let conflicts: HashSet<_> = [(100, 1)].into_iter().collect();
        let p = plan(&entries, &reviewers, &conflicts, 3);
        assert_eq!(p.added, vec![(100, 2)]);
        assert_eq!(p.gaps, vec![Gap { nomination: 100, wanted: 3, got: 1 }]);
    }

    #[test]
    fn rerunning_keeps_existing_assignments_and_adds_only_what_is_missing() {
        let reviewers: Vec<_> = (1..=4).map(|i| rev(i, &[1], None)).collect();
        let entries = vec![Entry { nomination: 100, category: 1, assigned: vec![4] }, entry(101, 1)];
        let p = plan(&entries, &reviewers, &HashSet::new(), 2);
        let m = per_nomination(&p, &entries);
        assert!(m[&100].contains(&4) && m[&100].len() == 2);
        assert!(p.added.iter().all(|(n, r)| !(*n == 100 && *r == 4)));
        // A full plan re-run adds nothing.
        let full: Vec<Entry> =
            entries.iter().map(|e| Entry { assigned: m[&e.nomination].clone(), ..e.clone() }).collect();
        assert_eq!(plan(&full, &reviewers, &HashSet::new(), 2), Plan::default());
    }

    #[test]
    fn no_reviewers_at_all_leaves_every_entry_as_a_gap() {
        let entries = vec![entry(100, 1)];
        let p = plan(&entries, &[], &HashSet::new(), 3);
        assert_eq!(p.gaps, vec![Gap { nomination: 100, wanted: 3, got: 0 }]);
    }

    #[test]
    fn balance_holds_across_many_random_feasible_instances() {
        // A small deterministic generator: no dependency, same cases every run.
        let mut seed: u64 = 42;
        let mut next = move |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for case in 0..200 {
            let n_rev = 3 + next(8) as i64;
            let n_ent = 1 + next(40) as i64;
            let k = 1 + next(3) as usize;
            let reviewers: Vec<_> = (1..=n_rev).map(|i| rev(i, &[1], None)).collect();
            let entries: Vec<_> = (0..n_ent).map(|n| entry(1000 + n, 1)).collect();
            let p = plan(&entries, &reviewers, &HashSet::new(), k);
            assert!(p.gaps.is_empty(), "case {case}");
            let l = loads(&p, &entries, &reviewers);
            let spread = l.values().max().unwrap() - l.values().min().unwrap();
            assert!(spread <= 1, "case {case}: {l:?}");
        }
    }

    #[test]
    fn balance_is_as_even_as_conflicts_allow() {
        // Reviewer 1 is conflicted with six of nine entries, so can take at most three; the
        // other fifteen slots are shared evenly by the others.
        let reviewers: Vec<_> = (1..=4).map(|i| rev(i, &[1], None)).collect();
        let entries: Vec<_> = (0..9).map(|n| entry(100 + n, 1)).collect();
        let conflicts: HashSet<_> = (0..6).map(|n| (100 + n, 1)).collect();
        let p = plan(&entries, &reviewers, &conflicts, 2);
        assert!(p.gaps.is_empty());
        let l = loads(&p, &entries, &reviewers);
        assert_eq!(l, [(1, 3), (2, 5), (3, 5), (4, 5)].into_iter().collect());
        // With a lighter conflict, max − min ≤ 1 is feasible and reached.
        let conflicts: HashSet<_> = (0..2).map(|n| (100 + n, 1)).collect();
        let p = plan(&entries, &reviewers, &conflicts, 2);
        let l = loads(&p, &entries, &reviewers);
        assert!(l.values().max().unwrap() - l.values().min().unwrap() <= 1, "{l:?}");
    }
}
