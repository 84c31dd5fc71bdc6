//! Errors as Python exceptions. The classes live in `newsidx/_errors.py`
//! (so that they can also derive from `ValueError`, `FileNotFoundError`
//! and `LookupError`); a failure is built without the GIL and raised once
//! it is held again. Messages are the command line's one-line messages,
//! without its `newsidx: ` prefix.

use pyo3::prelude::*;

/// Which exception class a failure raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `newsidx.Error`: anything else (a damaged index, a full disk, …).
    Other,
    /// `newsidx.QueryError`: the query does not parse.
    Query,
    /// `newsidx.OptionError`: an argument out of range or unknown.
    Option,
    /// `newsidx.IndexNotFoundError`: no index at the path given.
    IndexNotFound,
    /// `newsidx.ArticleNotFoundError`: no article with that id.
    ArticleNotFound,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Other => "Error",
            Kind::Query => "QueryError",
            Kind::Option => "OptionError",
            Kind::IndexNotFound => "IndexNotFoundError",
            Kind::ArticleNotFound => "ArticleNotFoundError",
        }
    }
}

/// A failure, built where the GIL may not be held.
#[derive(Debug)]
pub struct Failure {
    /// The class to raise.
    pub kind: Kind,
    /// The message, on one line.
    pub message: String,
}

impl Failure {
    /// A failure of `kind` saying `message`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: newsidx::messages::one_line(&message.into()),
        }
    }

    /// A library error as the command line prints it (`{e:#}`, one line).
    pub fn of(kind: Kind, e: &anyhow::Error) -> Failure {
        Failure::new(kind, format!("{e:#}"))
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::of(Kind::Other, &e)
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        Python::attach(|py| {
            let made = py
                .import("newsidx._errors")
                .and_then(|m| m.getattr(f.kind.class_name()))
                .and_then(|class| class.call1((f.message.as_str(),)));
            match made {
                Ok(instance) => PyErr::from_value(instance),
                // The package is incomplete: still say what went wrong.
                Err(_) => pyo3::exceptions::PyRuntimeError::new_err(f.message),
            }
        })
    }
}

/// The result of work done without the GIL.
pub type Outcome<T> = Result<T, Failure>;
