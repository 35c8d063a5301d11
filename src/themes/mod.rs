//! Themes: lexicon tagging of free text ([`tagging`]), the theme x metadata test grid
//! ([`associations`]) and theme impact on a value outcome ([`impact`]).

pub mod associations;
pub mod impact;
pub mod tagging;
