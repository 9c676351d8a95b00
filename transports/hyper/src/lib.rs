//! Placeholder: the hyper transport lands with its own issue.
