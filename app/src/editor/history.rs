use crate::model::Op;

/// A batch that, applied, undoes (or redoes) one user action.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub ops: Vec<Op>,
    /// The batch whose effect `ops` takes back: what is still as it left it is still yours
    /// (docs/sync.md S5).
    pub done: Vec<Op>,
}

/// Undo and redo stacks. Only the user's own actions go here: undo never touches anyone
/// else's edits.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Action>,
    redo: Vec<Action>,
}

impl History {
    const MAX: usize = 500;

    /// A new action: its undo goes on the stack and the redo stack is cleared.
    pub fn record(&mut self, undo: Vec<Op>, done: Vec<Op>) {
        self.push_undo(Action { ops: undo, done });
        self.redo.clear();
    }

    pub fn take_undo(&mut self) -> Option<Action> {
        self.undo.pop()
    }

    pub fn last_undo(&self) -> Option<&Action> {
        self.undo.last()
    }

    pub fn second_last_undo(&self) -> Option<&Action> {
        self.undo.iter().rev().nth(1)
    }

    /// The last two actions become one (undone together, the later one first).
    pub fn join_last_two(&mut self) {
        if let (Some(later), Some(earlier)) = (self.undo.pop(), self.undo.pop()) {
            let mut ops = later.ops;
            ops.extend(earlier.ops);
            let mut done = earlier.done;
            done.extend(later.done);
            self.undo.push(Action { ops, done });
        }
    }

    pub fn take_redo(&mut self) -> Option<Action> {
        self.redo.pop()
    }

    pub fn push_undo(&mut self, action: Action) {
        self.undo.push(action);
        if self.undo.len() > Self::MAX {
            self.undo.remove(0);
        }
    }

    pub fn push_redo(&mut self, action: Action) {
        self.redo.push(action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(n: usize) -> Vec<Op> {
        vec![Op::RenameBoard {
            title: format!("t{n}"),
        }]
    }

    #[test]
    fn a_new_action_clears_redo() {
        let mut h = History::default();
        h.record(action(0), vec![]);
        let undo = h.take_undo().unwrap();
        h.push_redo(undo);
        h.record(action(1), vec![]);
        assert!(h.take_redo().is_none());
    }

    #[test]
    fn two_joined_actions_are_undone_together_later_first() {
        let mut h = History::default();
        h.record(action(0), action(10));
        h.record(action(1), action(11));
        h.join_last_two();
        let both = h.take_undo().unwrap();
        assert_eq!(both.ops, [action(1), action(0)].concat());
        assert_eq!(both.done, [action(10), action(11)].concat());
        assert!(h.take_undo().is_none());
    }

    #[test]
    fn the_undo_stack_is_bounded() {
        let mut h = History::default();
        for n in 0..History::MAX + 10 {
            h.record(action(n), vec![]);
        }
        let mut count = 0;
        while h.take_undo().is_some() {
            count += 1;
        }
        assert_eq!(count, History::MAX);
    }
}
