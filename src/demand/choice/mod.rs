//! Demand from choices: choice designs, the multinomial logit and its latent-class mixture,
//! from which part-worths, attribute importances, willingness to pay per level and market
//! simulations follow.

pub mod design;
pub mod kano;
pub mod latent;
pub mod maxdiff;
pub mod mnl;
pub mod model;
