//! Small ordered maps and sets kept in one sorted `Vec`, and a map keyed by increasing ids.
//!
//! The protocol and the simulator key most of their maps by node id (a handful of entries)
//! or by a counter that only grows. `BTreeMap` serves both, but each distinct key and value
//! type instantiates its node splitting, merging and balancing code again: in the wasm the
//! page downloads, the ~15 instantiations cost about a third of the module. A sorted `Vec`
//! needs only a binary search, `insert` and `remove`, and iterates in key order exactly as a
//! `BTreeMap` does, so runs replay identically.
//!
//! Costs: lookups are `O(log n)`; inserting or removing a key shifts the entries after it
//! (`O(n)`), which is nothing for a few nodes and cheap for keys that arrive in increasing
//! order (they are pushed at the end). For the network's in-flight messages, where removal
//! happens mostly at the front, use [`IdMap`].

use std::borrow::Borrow;
use std::collections::VecDeque;

/// A map in one `Vec` of `(key, value)` pairs sorted by key, with the part of `BTreeMap`'s
/// API this crate uses.
// Invariant: keys strictly increase along `entries`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub(crate) const fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    /// Where `key` is (`Ok`) or would go (`Err`).
    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// The value for `key`.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value for `key`, mutably.
    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Whether `key` has a value.
    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }

    /// The value for `key`, inserting `make()` first if there is none.
    pub(crate) fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Keeps only the entries for which `keep` returns true (in key order).
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Removes every entry whose key is below `key`.
    pub(crate) fn remove_below<Q>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let end = self.entries.partition_point(|(k, _)| k.borrow() < key);
        self.entries.drain(..end);
    }

    /// Entries in key order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Entries in key order, values mutable.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Keys in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Values in key order, mutably.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// A set in one sorted `Vec`, with the part of `BTreeSet`'s API this crate uses.
// Invariant: items strictly increase along `items`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VecSet<T> {
    items: Vec<T>,
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet { items: Vec::new() }
    }
}

impl<T: Ord> VecSet<T> {
    /// An empty set.
    pub(crate) const fn new() -> Self {
        VecSet { items: Vec::new() }
    }

    /// Adds `item`; false if it was already there.
    pub(crate) fn insert(&mut self, item: T) -> bool {
        match self.items.binary_search(&item) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, item);
                true
            }
        }
    }

    /// Removes `item`; false if it was not there.
    pub(crate) fn remove(&mut self, item: &T) -> bool {
        match self.items.binary_search(item) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `item` is in the set.
    pub(crate) fn contains(&self, item: &T) -> bool {
        self.items.binary_search(item).is_ok()
    }

    /// Number of items.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set has no items.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes every item.
    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }

    /// Items in order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<T> VecSet<T> {
    /// The items, in order.
    pub(crate) fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<T: Ord> From<T> for VecSet<T> {
    /// The set of one item.
    fn from(item: T) -> Self {
        VecSet { items: vec![item] }
    }
}

/// Sorts a short slice of ids (voters, match indices) by insertion: for the handful of
/// nodes in a cluster it is as fast as the standard sorts and far smaller in the wasm, where
/// each `sort_unstable` element type costs about 3.5 KB. Quadratic: not for long slices.
pub(crate) fn sort_small(items: &mut [u64]) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && items[j - 1] > items[j] {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A map keyed by `u64` ids handed out in increasing order (the network's message ids),
/// stored as a deque of slots indexed by `id - base`. Lookup, insertion at or past the end
/// and removal are `O(1)`; removal at the front also drops the empty slots behind it, so
/// the deque spans only from the oldest live id to the newest. Iteration is in id order.
// Invariant: `slots` is empty or its front slot is full; `len` counts the full slots.
#[derive(Clone, Debug)]
pub(crate) struct IdMap<V> {
    base: u64,
    slots: VecDeque<Option<V>>,
    len: usize,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            base: 0,
            slots: VecDeque::new(),
            len: 0,
        }
    }
}

impl<V> IdMap<V> {
    /// An empty map.
    pub(crate) fn new() -> Self {
        IdMap::default()
    }

    fn slot(&self, id: u64) -> Option<usize> {
        let i = usize::try_from(id.checked_sub(self.base)?).ok()?;
        (i < self.slots.len()).then_some(i)
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the map has no entries.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value for `id`.
    pub(crate) fn get(&self, id: u64) -> Option<&V> {
        self.slots[self.slot(id)?].as_ref()
    }

    /// Whether `id` has a value.
    pub(crate) fn contains_key(&self, id: u64) -> bool {
        self.get(id).is_some()
    }

    /// Sets `id` to `value`.
    ///
    /// # Panics
    /// If `id` is below the smallest id in the map: ids are handed out in increasing order.
    pub(crate) fn insert(&mut self, id: u64, value: V) -> Option<V> {
        if self.slots.is_empty() {
            self.base = id;
        }
        assert!(id >= self.base, "id {id} inserted below the map's base");
        let i = (id - self.base) as usize;
        while self.slots.len() <= i {
            self.slots.push_back(None);
        }
        let old = self.slots[i].replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// Removes `id`; returns its value.
    pub(crate) fn remove(&mut self, id: u64) -> Option<V> {
        let i = self.slot(id)?;
        let value = self.slots[i].take()?;
        self.len -= 1;
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        if self.slots.is_empty() {
            self.base = 0;
        }
        Some(value)
    }

    /// Values in id order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.slots.iter().flatten()
    }
}

impl<V> std::ops::Index<u64> for IdMap<V> {
    type Output = V;

    /// # Panics
    /// If `id` has no value.
    fn index(&self, id: u64) -> &V {
        self.get(id).expect("no value for this id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// A deterministic stream of small numbers (no dependency on the crate's rng).
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn vecmap_matches_btreemap() {
        for seed in 1..20 {
            let mut ours = VecMap::new();
            let mut model = BTreeMap::new();
            let ops = numbers(seed, 400, 1000);
            for (step, &x) in ops.iter().enumerate() {
                let key = x % 37;
                match x % 5 {
                    0 | 1 => assert_eq!(ours.insert(key, step), model.insert(key, step)),
                    2 => assert_eq!(ours.remove(&key), model.remove(&key)),
                    3 => {
                        *ours.get_or_insert_with(key, || step) += 1;
                        *model.entry(key).or_insert(step) += 1;
                    }
                    _ => {
                        ours.retain(|k, _| k % 7 != x % 7);
                        model.retain(|k, _| k % 7 != x % 7);
                    }
                }
                assert_eq!(ours.len(), model.len());
                assert_eq!(ours.get(&key), model.get(&key));
                assert_eq!(ours.contains_key(&key), model.contains_key(&key));
                let a: Vec<_> = ours.iter().collect();
                let b: Vec<_> = model.iter().collect();
                assert_eq!(a, b, "seed {seed} step {step}: iteration order differs");
            }
        }
    }

    #[test]
    fn vecmap_lookups_by_borrowed_key_and_pruning() {
        let mut m: VecMap<String, u32> = VecMap::new();
        for (i, k) in ["b", "a", "d", "c"].iter().enumerate() {
            m.insert(k.to_string(), i as u32);
        }
        assert_eq!(
            m.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert_eq!(m.get("c"), Some(&3));
        *m.get_mut("c").unwrap() = 9;
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [1, 0, 9, 2]);
        for v in m.values_mut() {
            *v += 1;
        }
        for (_, v) in m.iter_mut() {
            *v *= 2;
        }
        assert_eq!(m.get("a"), Some(&4));
        m.remove_below("c");
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["c", "d"]);
        m.remove_below("a");
        assert_eq!(m.len(), 2);
        m.clear();
        assert!(m.is_empty());
        assert_eq!(m.get("c"), None);
    }

    #[test]
    fn vecset_matches_btreeset() {
        let mut ours = VecSet::new();
        let mut model = BTreeSet::new();
        for (step, &x) in numbers(7, 500, 1000).iter().enumerate() {
            let item = (x % 11, x % 3);
            if x % 3 == 0 {
                assert_eq!(ours.remove(&item), model.remove(&item));
            } else {
                assert_eq!(ours.insert(item), model.insert(item));
            }
            assert_eq!(ours.contains(&item), model.contains(&item));
            assert_eq!(ours.len(), model.len(), "step {step}");
            assert!(ours.iter().eq(model.iter()), "step {step}: order differs");
        }
        ours.clear();
        assert!(ours.is_empty());
        assert_eq!(VecSet::from(4).iter().copied().collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn sort_small_sorts() {
        for seed in 1..50 {
            let mut ours = numbers(seed, (seed % 12) as usize, 6);
            let mut model = ours.clone();
            sort_small(&mut ours);
            model.sort();
            assert_eq!(ours, model);
        }
    }

    #[test]
    fn idmap_matches_btreemap() {
        for seed in 1..20 {
            let mut ours = IdMap::new();
            let mut model = BTreeMap::new();
            let mut next = 1u64;
            for (step, &x) in numbers(seed, 600, 1000).iter().enumerate() {
                match x % 4 {
                    // New ids, sometimes with a gap (an id lost at once).
                    0 => {
                        assert_eq!(ours.insert(next + 1, step), model.insert(next + 1, step));
                        next += 2;
                    }
                    1 => {
                        assert_eq!(ours.insert(next, step), model.insert(next, step));
                        next += 1;
                    }
                    // Remove an old id, often the oldest.
                    _ => {
                        let id = match model.keys().next() {
                            Some(&first) if x % 2 == 0 => first,
                            _ => x % next.max(1),
                        };
                        assert_eq!(ours.remove(id), model.remove(&id));
                    }
                }
                assert_eq!(ours.len(), model.len());
                assert_eq!(ours.is_empty(), model.is_empty());
                let probe = x % (next + 2);
                assert_eq!(ours.get(probe), model.get(&probe));
                assert_eq!(ours.contains_key(probe), model.contains_key(&probe));
                assert!(
                    ours.values().eq(model.values()),
                    "seed {seed} step {step}: order differs"
                );
            }
        }
    }

    #[test]
    fn idmap_skips_holes_and_indexes() {
        let mut m = IdMap::new();
        m.insert(7, "seven");
        m.insert(10, "ten");
        assert_eq!(m.values().copied().collect::<Vec<_>>(), ["seven", "ten"]);
        assert_eq!(m[10], "ten");
        assert_eq!(m.remove(7), Some("seven"));
        assert_eq!(m.remove(7), None);
        assert_eq!(m.remove(10), Some("ten"));
        assert!(m.is_empty());
        assert_eq!(m.get(0), None);
        assert_eq!(m.get(u64::MAX), None);
    }
}
