//! A static interval index: intervals sorted by start, matched in bulk by sweeping.
//!
//! Two sweeps replace a query per boundary or per client (each a walk down a tree that, at a
//! million clients and a few hundred thousand boundaries, no longer fits in the cache): the
//! self-join finds every pair of intervals that meet, and the point sweep finds the intervals
//! containing each of a sorted list of points. Both read the index front to back, keeping the
//! intervals still open in a min-heap by end, and cost O(n log n + what they report).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Intervals `(start, end, id)` with `start <= end`, inclusive, sorted by `(start, end, id)`.
#[derive(Debug, Clone)]
pub(crate) struct IntervalIndex<T> {
    starts: Vec<T>,
    ends: Vec<T>,
    ids: Vec<u32>,
}

impl<T: Copy + Ord> IntervalIndex<T> {
    /// Build the index (any order).
    pub(crate) fn new(mut items: Vec<(T, T, u32)>) -> Self {
        items.sort_unstable();
        let mut starts = Vec::with_capacity(items.len());
        let mut ends = Vec::with_capacity(items.len());
        let mut ids = Vec::with_capacity(items.len());
        for (s, e, id) in items {
            starts.push(s);
            ends.push(e);
            ids.push(id);
        }
        Self { starts, ends, ids }
    }

    /// The id of the interval at `pos` in index order (by start, end, id).
    pub(crate) fn id_at(&self, pos: usize) -> u32 {
        self.ids[pos]
    }

    /// Call `found(a, b)` once for every two intervals that meet, `a < b` being their positions
    /// in index order.
    ///
    /// A sweep by start with the intervals still open kept in a min-heap by end: when an
    /// interval starts, every open one meets it. O(n log n + pairs), reading the index front to
    /// back.
    pub(crate) fn self_join(&self, mut found: impl FnMut(usize, usize)) {
        let mut open: BinaryHeap<Reverse<(T, usize)>> = BinaryHeap::new();
        for pos in 0..self.starts.len() {
            let start = self.starts[pos];
            while open.peek().is_some_and(|Reverse((end, _))| *end < start) {
                open.pop();
            }
            for Reverse((_, other)) in open.iter() {
                found(*other, pos);
            }
            open.push(Reverse((self.ends[pos], pos)));
        }
    }

    /// Call `found(tag, id)` for every interval containing each point of `points`, which must
    /// be `(point, tag)` pairs sorted by point.
    ///
    /// One sweep over both sorted lists instead of a query per point: each interval enters and
    /// leaves the active set once, and memory is read front to back, so a million points cost a
    /// sort and a pass rather than a million walks from the root of a tree that does not fit in
    /// the cache. Intervals containing a point are reported in no particular order.
    pub(crate) fn sweep<U: Copy>(&self, points: &[(T, U)], mut found: impl FnMut(U, u32)) {
        debug_assert!(points.windows(2).all(|w| w[0].0 <= w[1].0));
        // Active intervals as a min-heap by end: the ones that ended before the point are
        // popped, so every one left contains it.
        let mut active: BinaryHeap<Reverse<(T, u32)>> = BinaryHeap::new();
        let mut next = 0;
        for &(point, tag) in points {
            while next < self.starts.len() && self.starts[next] <= point {
                active.push(Reverse((self.ends[next], self.ids[next])));
                next += 1;
            }
            while active.peek().is_some_and(|Reverse((end, _))| *end < point) {
                active.pop();
            }
            for Reverse((_, id)) in active.iter() {
                found(tag, *id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(items: &[(u32, u32, u32)], lo: u32, hi: u32) -> Vec<u32> {
        let mut v: Vec<u32> = items
            .iter()
            .filter(|(s, e, _)| *s <= hi && lo <= *e)
            .map(|(_, _, id)| *id)
            .collect();
        v.sort_unstable();
        v
    }

    /// Intervals `(start, start + len, position)` from `(start, len)` pairs.
    fn intervals(raw: &[(u32, u32)]) -> Vec<(u32, u32, u32)> {
        raw.iter()
            .enumerate()
            .map(|(i, (s, len))| (*s, s + len, i as u32))
            .collect()
    }

    #[test]
    fn empty_and_single() {
        let idx: IntervalIndex<u32> = IntervalIndex::new(Vec::new());
        let mut hits = Vec::new();
        idx.sweep(&[(0u32, 0u8), (u32::MAX, 1)], |tag, id| {
            hits.push((tag, id))
        });
        idx.self_join(|a, b| hits.push((a as u8, b as u32)));
        assert!(hits.is_empty());
        let idx = IntervalIndex::new(vec![(5u32, 9, 7)]);
        idx.sweep(&[(4u32, 0u8), (5, 1), (9, 2), (10, 3)], |tag, id| {
            hits.push((tag, id))
        });
        idx.self_join(|a, b| hits.push((a as u8, b as u32 + 100)));
        assert_eq!(hits, [(1, 7), (2, 7)]);
    }

    proptest! {
        /// The self-join reports every pair of intervals that meet, once.
        #[test]
        fn self_join_matches_brute_force(
            raw in prop::collection::vec((0u32..200, 0u32..40), 0..60),
        ) {
            let items = intervals(&raw);
            let idx = IntervalIndex::new(items.clone());
            let mut got = Vec::new();
            idx.self_join(|a, b| {
                assert!(a < b);
                let (x, y) = (idx.id_at(a), idx.id_at(b));
                got.push((x.min(y), x.max(y)));
            });
            got.sort_unstable();
            let mut want = Vec::new();
            for (i, a) in items.iter().enumerate() {
                for b in &items[i + 1..] {
                    if a.0 <= b.1 && b.0 <= a.1 {
                        want.push((a.2.min(b.2), a.2.max(b.2)));
                    }
                }
            }
            want.sort_unstable();
            prop_assert_eq!(got, want);
        }

        /// The sweep reports, for every point, exactly the intervals containing it.
        #[test]
        fn sweep_matches_brute_force(
            raw in prop::collection::vec((0u32..200, 0u32..40), 0..60),
            mut points in prop::collection::vec(0u32..260, 0..80),
        ) {
            let items = intervals(&raw);
            let idx = IntervalIndex::new(items.clone());
            points.sort_unstable();
            let tagged: Vec<(u32, usize)> = points.iter().copied().zip(0..).collect();
            let mut got = Vec::new();
            idx.sweep(&tagged, |tag, id| got.push((tag, id)));
            got.sort_unstable();
            let mut want = Vec::new();
            for (point, tag) in &tagged {
                want.extend(brute(&items, *point, *point).into_iter().map(|id| (*tag, id)));
            }
            want.sort_unstable();
            prop_assert_eq!(got, want);
        }
    }
}
