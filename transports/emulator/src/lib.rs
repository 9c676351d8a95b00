//! Placeholder: the emulator lands with its own issue.
