//! The customer's chat text size: a few steps around the normal size, remembered across
//! reloads (the page stores the step, see `services::storage`).

/// The sizes, in tenths of a percent of the page's normal text: whole numbers, since printing
/// a float would bring core's float printer into the wasm app, several KB.
pub const STEPS: [u32; 5] = [875, 1000, 1125, 1250, 1500];

/// An index into [`STEPS`]; always valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontSize(usize);

impl Default for FontSize {
    fn default() -> Self {
        FontSize(1)
    }
}

impl FontSize {
    /// A stored step; anything out of range (an older page's value, an edit) gives the default.
    pub fn from_step(step: usize) -> Self {
        if step < STEPS.len() {
            FontSize(step)
        } else {
            FontSize::default()
        }
    }

    pub fn step(self) -> usize {
        self.0
    }

    /// The size in tenths of a percent.
    pub fn per_mille(self) -> u32 {
        STEPS[self.0]
    }

    /// The value of the `--chat-font-size` CSS property.
    pub fn css(self) -> String {
        let size = self.per_mille();
        format!("--chat-font-size: {}.{}%", size / 10, size % 10)
    }

    pub fn can_grow(self) -> bool {
        self.0 + 1 < STEPS.len()
    }

    pub fn can_shrink(self) -> bool {
        self.0 > 0
    }

    pub fn larger(self) -> Self {
        FontSize((self.0 + 1).min(STEPS.len() - 1))
    }

    pub fn smaller(self) -> Self {
        FontSize(self.0.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_step_within_bounds() {
        let mut size = FontSize::default();
        assert_eq!(size.per_mille(), 1000);
        for _ in 0..10 {
            size = size.larger();
        }
        assert_eq!(size.per_mille(), 1500);
        assert!(!size.can_grow() && size.can_shrink());
        for _ in 0..10 {
            size = size.smaller();
        }
        assert_eq!(size.per_mille(), 875);
        assert!(size.can_grow() && !size.can_shrink());
        assert_eq!(size.css(), "--chat-font-size: 87.5%");
    }

    #[test]
    fn a_stored_step_is_taken_only_when_valid() {
        assert_eq!(FontSize::from_step(3).per_mille(), 1250);
        assert_eq!(FontSize::from_step(3).step(), 3);
        assert_eq!(FontSize::from_step(99), FontSize::default());
    }
}
