//! Themes: lexicon tagging of free text ([`tagging`]), discovery without a lexicon
//! ([`discover`]), the theme x metadata test grid ([`associations`]) with its profiles
//! ([`profiles`]), theme impact on a value outcome ([`impact`]), their co-occurrence
//! ([`cooccurrence`]) and changes between survey waves ([`waves`]).

pub mod associations;
pub mod cooccurrence;
pub mod discover;
pub mod drivers;
pub mod impact;
pub mod profiles;
pub mod tagging;
pub mod waves;
