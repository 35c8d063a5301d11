//! One error type for every core. Each variant names what was wrong and where, so the
//! Python layer can map it to `InputError`, `ParameterError` or `ConvergenceError`
//! without re-wording the message.

/// Errors raised by the customervalue cores.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Bad data: a missing column, a wrong type, an empty table, a missing value,
    /// a negative price, inconsistent answers.
    #[error("column '{column}': {problem}")]
    Input { column: String, problem: String },
    /// Bad argument: k larger than n, alpha outside (0, 1), an unknown option.
    #[error("argument '{name}': {problem}")]
    Parameter { name: String, problem: String },
    /// An iterative fit that did not converge, with what to try.
    #[error("{what} did not converge: {advice}")]
    Convergence { what: String, advice: String },
    /// The caller stopped the work (Ctrl-C); Python sees `KeyboardInterrupt`.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// An input error about `column`.
    pub fn input(column: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Input { column: column.into(), problem: problem.into() }
    }
    /// A parameter error about argument `name`.
    pub fn parameter(name: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Parameter { name: name.into(), problem: problem.into() }
    }
    /// A convergence error for `what`, with `advice`.
    pub fn convergence(what: impl Into<String>, advice: impl Into<String>) -> Self {
        Error::Convergence { what: what.into(), advice: advice.into() }
    }
}

/// Result alias used throughout the cores.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_column_and_the_problem() {
        let e = Error::input("wtp", "3 missing values");
        assert_eq!(e.to_string(), "column 'wtp': 3 missing values");
        let e = Error::parameter("k", "k = 9 is larger than the 4 rows");
        assert_eq!(e.to_string(), "argument 'k': k = 9 is larger than the 4 rows");
    }
}
