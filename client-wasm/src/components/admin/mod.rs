//! The admin page's parts: the settings form (texts and policies), the reps, the notices and
//! the survey results, plus the small pieces they share.

pub mod feedback;
pub mod notices;
pub mod reps;
pub mod settings_form;
pub mod surveys;
