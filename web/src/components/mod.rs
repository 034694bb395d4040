//! Pieces shared by the screens: the page layouts, loading and error states, the sales table.

pub mod field;
pub mod layout;
pub mod sale_table;
pub mod status;
