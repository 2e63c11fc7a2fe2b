//! The ids on the wire, each its own type so that a session's id cannot be passed where a
//! rep's is meant. On the wire each is a plain number.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The id after this one.
            pub fn next(self) -> $name {
                $name(self.0 + 1)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<$name, Self::Err> {
                text.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id! {
    /// A support session's id: one customer's visit, from the entry form to its end.
    SessionId
}

id! {
    /// A rep's id.
    RepId
}

id! {
    /// A file transfer's number, unique on the server.
    FileId
}

id! {
    /// A notice's id.
    NoticeId
}
