//! Who may do what with a board: the role a capability link grants. Checked by the server on
//! every request and socket message; the browser only uses it to hide what it cannot do.

use serde::{Deserialize, Serialize};

/// What a link lets its holder do, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees the board live, cannot change it.
    View,
    /// Changes the board.
    Edit,
    /// Changes the board and manages its links (the creator's link).
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::View, Role::Edit, Role::Owner];

    pub fn can_edit(self) -> bool {
        self >= Role::Edit
    }

    pub fn can_share(self) -> bool {
        self == Role::Owner
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::View => "view",
            Role::Edit => "edit",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The links an owner hands out (the owner's own link is the one they hold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareLinks {
    pub edit: String,
    pub view: String,
}
