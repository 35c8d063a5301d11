//! Segmentation versus clustering: k-means written for speed (greedy k-means++ seeding and
//! Hamerly bounds, and a mini-batch variant for large data), k-prototypes for mixed data, the clustering indices scikit-learn reports
//! (agreeing with it to 1e-10), and the partition-comparison statistics that put rule-based
//! segments and data-driven clusters side by side.
//!
//! Points are rows of a row-major [`Matrix`]; labels are dense codes `0..k`.

pub mod compare;
pub mod kmeans;
pub mod kprototypes;
pub mod matrix;
pub mod metrics;
pub mod minibatch;
pub mod mixture;
pub mod scaleout;

pub use matrix::Matrix;
