//! Pieces shared by the screens: the page layouts, loading and error states, the sales table,
//! the active filters of a list, form fields, the sale form's fields and the sign-in form. A component here never uses a page
//! (`crate::pages`): pages are made of components, not the other way round.

pub mod analytics;
pub mod chart;
pub mod chat;
pub mod field;
pub mod filters;
pub mod layout;
pub mod sale_editor;
pub mod sale_form;
pub mod sale_table;
pub mod sign_in;
pub mod status;
