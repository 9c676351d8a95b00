//! The objects that responses and requests embed, as the API's schemas define them.

mod device;
mod discovery;
mod factor;
mod feedback;
mod hash;
mod locale;
mod member;
mod mfa;
mod organization;
mod scim;
mod session;

pub use device::*;
pub use discovery::*;
pub use factor::*;
pub use feedback::*;
pub use hash::*;
pub use locale::*;
pub use member::*;
pub use mfa::*;
pub use organization::*;
pub use scim::*;
pub use session::*;
