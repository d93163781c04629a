//! A static interval index: every interval meeting a query interval in O(log n + k).
//!
//! Intervals are sorted by start; a segment tree over that order keeps the largest end of each
//! node's intervals. A query `lo..=hi` only looks at the prefix whose starts are `<= hi`, and
//! descends only into nodes whose largest end is `>= lo`, so each reported interval costs
//! O(log n) and nothing else is visited. This replaces pairwise comparison (O(n²) over 200,000
//! boundaries) by one query per boundary.

/// Intervals `(start, end, id)` with `start <= end`, inclusive.
#[derive(Debug, Clone)]
pub(crate) struct IntervalIndex<T> {
    starts: Vec<T>,
    ends: Vec<T>,
    ids: Vec<u32>,
    /// `tree[1]` is the root; node `i` has children `2i` and `2i + 1`; leaves start at `width`.
    tree: Vec<Option<T>>,
    width: usize,
}

impl<T: Copy + Ord> IntervalIndex<T> {
    /// Build the index (any order; ties are kept in `(start, end, id)` order).
    pub(crate) fn new(mut items: Vec<(T, T, u32)>) -> Self {
        items.sort_unstable();
        let width = items.len().next_power_of_two().max(1);
        let mut tree = vec![None; 2 * width];
        let mut starts = Vec::with_capacity(items.len());
        let mut ends = Vec::with_capacity(items.len());
        let mut ids = Vec::with_capacity(items.len());
        for (i, (s, e, id)) in items.into_iter().enumerate() {
            starts.push(s);
            ends.push(e);
            ids.push(id);
            tree[width + i] = Some(e);
        }
        for i in (1..width).rev() {
            tree[i] = tree[2 * i].max(tree[2 * i + 1]);
        }
        Self {
            starts,
            ends,
            ids,
            tree,
            width,
        }
    }

    /// Call `found` with the id of every interval that meets `lo..=hi`.
    pub(crate) fn query(&self, lo: T, hi: T, mut found: impl FnMut(u32)) {
        let limit = self.starts.partition_point(|s| *s <= hi);
        if limit == 0 {
            return;
        }
        // (node, first leaf, leaf count) — an explicit stack keeps the recursion shallow. It
        // lives on the call stack: queries run once per client and per entry, and a heap
        // allocation each costs more than the walk. Each level pops one node and pushes at most
        // two, so it never holds more than one entry per level plus one.
        let mut stack = [(0usize, 0usize, 0usize); usize::BITS as usize + 1];
        stack[0] = (1, 0, self.width);
        let mut len = 1;
        while len > 0 {
            len -= 1;
            let (node, first, count) = stack[len];
            if first >= limit || self.tree[node].is_none_or(|max| max < lo) {
                continue;
            }
            if count == 1 {
                if self.ends[first] >= lo {
                    found(self.ids[first]);
                }
                continue;
            }
            let half = count / 2;
            stack[len] = (2 * node + 1, first + half, half);
            stack[len + 1] = (2 * node, first, half);
            len += 2;
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

    #[test]
    fn empty_and_single() {
        let idx: IntervalIndex<u32> = IntervalIndex::new(Vec::new());
        let mut hits = Vec::new();
        idx.query(0, u32::MAX, |id| hits.push(id));
        assert!(hits.is_empty());
        let idx = IntervalIndex::new(vec![(5u32, 9, 7)]);
        idx.query(9, 20, |id| hits.push(id));
        idx.query(0, 4, |id| hits.push(id + 100));
        assert_eq!(hits, [7]);
    }

    proptest! {
        #[test]
        fn matches_brute_force(
            raw in prop::collection::vec((0u32..200, 0u32..40), 0..60),
            q in (0u32..240, 0u32..40),
        ) {
            let items: Vec<(u32, u32, u32)> = raw
                .iter()
                .enumerate()
                .map(|(i, (s, len))| (*s, s + len, i as u32))
                .collect();
            let idx = IntervalIndex::new(items.clone());
            let mut got = Vec::new();
            idx.query(q.0, q.0 + q.1, |id| got.push(id));
            got.sort_unstable();
            prop_assert_eq!(got, brute(&items, q.0, q.0 + q.1));
        }
    }
}
