//! Themes: lexicon tagging of free text ([`tagging`]), discovery without a lexicon
//! ([`discover`]), the theme x metadata test grid
//! ([`associations`]) and theme impact on a value outcome ([`impact`]).

pub mod associations;
pub mod cooccurrence;
pub mod discover;
pub mod impact;
pub mod tagging;
