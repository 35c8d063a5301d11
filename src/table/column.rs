//! Typed columns: values owned or shared with Arrow, and their validity.

use std::ops::Deref;

use arrow_buffer::ScalarBuffer;

/// A value type a [`Column`] can hold, with the buffer it can share with Arrow without a copy.
pub trait Element: Clone + PartialEq + std::fmt::Debug + Send + Sync {
    /// A zero-copy view of an Arrow values buffer (`Vec<Self>` where Arrow's layout differs,
    /// as for bit-packed booleans, so nothing is ever shared).
    type Shared: Clone + std::fmt::Debug + Deref<Target = [Self]> + Send + Sync;
}

impl Element for f64 {
    type Shared = ScalarBuffer<f64>;
}

impl Element for u32 {
    type Shared = ScalarBuffer<u32>;
}

impl Element for bool {
    type Shared = Vec<bool>;
}

/// A column's values: owned, or a view of the caller's Arrow buffer (no copy, kept alive by a
/// reference count). Either way it reads as a slice.
#[derive(Clone, Debug)]
pub enum Values<T: Element> {
    /// Values this crate allocated.
    Owned(Vec<T>),
    /// The values buffer of a single-chunk Arrow array, shared.
    Shared(T::Shared),
}

impl<T: Element> Values<T> {
    /// The values as a slice.
    #[inline(always)]
    pub fn as_slice(&self) -> &[T] {
        match self {
            Values::Owned(v) => v,
            Values::Shared(s) => s,
        }
    }

    /// The values as an owned vector (a copy only when shared).
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Values::Owned(v) => v,
            Values::Shared(s) => s.to_vec(),
        }
    }
}

impl<T: Element> Deref for Values<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Element> From<Vec<T>> for Values<T> {
    fn from(v: Vec<T>) -> Self {
        Values::Owned(v)
    }
}

impl<T: Element> FromIterator<T> for Values<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Values::Owned(iter.into_iter().collect())
    }
}

impl<'a, T: Element> IntoIterator for &'a Values<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T: Element> PartialEq for Values<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Element> PartialEq<Vec<T>> for Values<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// One column of values with its validity (`None`: every row is valid).
#[derive(Debug, Clone, PartialEq)]
pub struct Column<T: Element> {
    /// The column's name, used in every error message about it.
    pub name: String,
    /// One value per row; the value of a missing row is unspecified.
    pub values: Values<T>,
    /// `valid[i]` is false where row `i` is missing.
    pub valid: Option<Vec<bool>>,
}

/// A categorical column: codes into `levels`.
#[derive(Debug, Clone, PartialEq)]
pub struct Categorical {
    /// Codes (`0..levels.len()`) with validity.
    pub codes: Column<u32>,
    /// The level labels, in the order of the codes.
    pub levels: Vec<String>,
}

impl<T: Element> Column<T> {
    /// A column with every row valid.
    pub fn new(name: impl Into<String>, values: Vec<T>) -> Self {
        Column { name: name.into(), values: Values::Owned(values), valid: None }
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// Number of missing rows.
    pub fn n_missing(&self) -> usize {
        self.valid.as_ref().map_or(0, |v| v.iter().filter(|ok| !**ok).count())
    }
    pub(crate) fn keep(&mut self, keep: &[bool]) {
        self.values = self.values.iter().zip(keep).filter(|(_, k)| **k).map(|(v, _)| v.clone()).collect();
        self.valid = self.valid.take().and_then(|valid| {
            let kept: Vec<bool> = valid.iter().zip(keep).filter(|(_, k)| **k).map(|(v, _)| *v).collect();
            (!kept.iter().all(|v| *v)).then_some(kept)
        });
    }
}

/// The first index whose value satisfies `hit`. Blocks of 256 are tested without an early exit,
/// so the test vectorises; only the block holding a hit is searched element by element.
pub fn first_where(values: &[f64], hit: impl Fn(f64) -> bool) -> Option<usize> {
    const BLOCK: usize = 256;
    values.chunks(BLOCK).enumerate().find_map(|(b, block)| {
        if block.iter().fold(0u8, |any, v| any | u8::from(hit(*v))) != 0 {
            block.iter().position(|v| hit(*v)).map(|i| b * BLOCK + i)
        } else {
            None
        }
    })
}

/// True when some value is NaN or infinite; long columns
/// are scanned by all threads, since one thread cannot use the memory bandwidth.
pub(crate) fn any_non_finite(values: &[f64]) -> bool {
    use rayon::prelude::*;
    values.par_chunks(1 << 16).any(|c| first_where(c, |v| !finite(v)).is_some())
}

/// `v.is_finite()` as float arithmetic (`v - v` is 0 exactly for finite `v`, NaN otherwise), which
/// vectorises where the standard test becomes integer bit operations.
#[inline(always)]
#[allow(clippy::eq_op)]
pub fn finite(v: f64) -> bool {
    v - v == 0.0
}

impl<T: Element> Column<T> {
    /// The rows of one group (`None`: every row, without a copy).
    pub fn subset(&self, idx: Option<&[usize]>) -> std::borrow::Cow<'_, Column<T>> {
        match idx {
            None => std::borrow::Cow::Borrowed(self),
            Some(idx) => std::borrow::Cow::Owned(self.take(idx)),
        }
    }

    /// The rows at `idx`, in that order (validity dropped: apply the missing policy first).
    pub fn take(&self, idx: &[usize]) -> Column<T> {
        let mut values = Vec::with_capacity(idx.len());
        values.extend(idx.iter().filter_map(|i| self.values.get(*i).cloned()));
        Column { name: self.name.clone(), values: Values::Owned(values), valid: None }
    }
}
