//! A protocol-speaking WebSocket client for the tests, the way a browser tab uses the socket.

use std::time::Duration;

use app::model::Op;
use app::sync::{ClientId, ClientMsg, Resume, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct WsClient {
    socket: Socket,
    pub client: ClientId,
    pub next_batch: u64,
}

impl WsClient {
    /// Opens a socket to board `board` with the link token `key` on the server at `base`
    /// (http://...), without hello.
    pub async fn open(base: &str, board: &str, key: &str) -> Self {
        let url = format!(
            "{}/api/boards/{board}/ws?key={key}",
            base.replace("http://", "ws://")
        );
        let (socket, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
            .await
            .expect("websocket");
        Self {
            socket,
            client: uuid::Uuid::now_v7(),
            next_batch: 1,
        }
    }

    /// Opens a socket and says hello; returns the client and the welcome.
    pub async fn join(base: &str, board: &str, key: &str, name: &str) -> (Self, ServerMsg) {
        let mut c = Self::open(base, board, key).await;
        let welcome = c.hello(name, None).await;
        (c, welcome)
    }

    pub async fn hello(&mut self, name: &str, resume: Option<Resume>) -> ServerMsg {
        self.send(&ClientMsg::Hello {
            client: self.client,
            name: name.into(),
            colour: "#3366ff".into(),
            resume,
        })
        .await;
        self.expect(|m| matches!(m, ServerMsg::Welcome { .. }))
            .await
    }

    pub async fn send(&mut self, msg: &ClientMsg) {
        self.send_raw(&serde_json::to_string(msg).unwrap()).await;
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.socket
            .send(Message::Text(text.into()))
            .await
            .expect("send");
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.socket
            .send(Message::Binary(bytes.into()))
            .await
            .expect("send");
    }

    /// Sends a batch with the next batch number and returns that number.
    pub async fn submit(&mut self, ops: Vec<Op>) -> u64 {
        let batch = self.next_batch;
        self.next_batch += 1;
        self.send(&ClientMsg::Submit { batch, ops }).await;
        batch
    }

    /// The next message, or `None` when the socket closed. Panics after 10 s of silence.
    pub async fn next(&mut self) -> Option<ServerMsg> {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.socket.next())
                .await
                .expect("a message within 10 s");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(text.as_str()).expect("a protocol message"));
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Skips messages until one matches.
    pub async fn expect(&mut self, wanted: impl Fn(&ServerMsg) -> bool) -> ServerMsg {
        loop {
            let msg = self.next().await.expect("the socket stays open");
            if wanted(&msg) {
                return msg;
            }
        }
    }

    /// True when nothing matching arrives within `wait`.
    pub async fn quiet(&mut self, wait: Duration, unwanted: impl Fn(&ServerMsg) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.socket.next()).await {
                Err(_) => return true,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let msg: ServerMsg = serde_json::from_str(text.as_str()).unwrap();
                    if unwanted(&msg) {
                        return false;
                    }
                }
                Ok(Some(Ok(_))) => {}
                Ok(_) => return true,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
