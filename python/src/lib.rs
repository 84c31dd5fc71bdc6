//! `newsidx._newsidx`, the native half of the Python package `newsidx`
//! (python/newsidx/ wraps it): the newsidx library called from Python,
//! the same code the command line runs, so results are identical.

mod article;
mod errors;
mod indexing;
mod searching;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _newsidx(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<searching::NativeIndex>()?;
    m.add_function(wrap_pyfunction!(indexing::index, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
