//! Pieces shared by the screens: the page layouts, loading and error states.

pub mod field;
pub mod layout;
pub mod status;
