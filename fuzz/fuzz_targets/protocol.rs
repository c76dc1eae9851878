//! The WebSocket path as the server runs it: a frame decoded as a protocol message (what
//! `http::ws` does), then handed to the board's `Hub` (what the room does), for two connections
//! taking turns. Nothing a browser sends may panic either; the board stays valid.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use squall_model::model::Board;
use squall_model::sync::{ClientMsg, Hub};

fuzz_target!(|data: &[u8]| {
    let mut hub = Hub::new(Board::new("Fuzz").unwrap(), 0, HashMap::new(), "epoch".into());
    for (i, frame) in data.split(|b| *b == b'\n').enumerate() {
        let peer = 1 + (i % 2) as u64;
        let Ok(msg) = serde_json::from_slice::<ClientMsg>(frame) else {
            continue;
        };
        match msg {
            ClientMsg::Hello {
                client,
                name,
                colour,
                resume,
            } => {
                hub.join(peer, client, &name, &colour, resume);
            }
            // The socket refuses these batch numbers before the hub sees them.
            ClientMsg::Submit { batch, .. } if batch == 0 || batch > i64::MAX as u64 => {}
            ClientMsg::Submit { batch, ops } => {
                hub.submit(peer, batch, ops);
            }
            ClientMsg::Presence(now) => {
                hub.presence(peer, now);
            }
        }
    }
    // Whatever was accepted left a board that its document reads back as it is (reading
    // rebuilds it through `Board::apply`, so it checks every rule again).
    let document = squall_model::model::BoardDocument::new(hub.board().clone());
    let text = serde_json::to_string(&document).unwrap();
    let again = squall_model::model::BoardDocument::read(&text).unwrap();
    assert_eq!(&again, hub.board());
});
