//! The JetStream bus against a real nats-server (2.9 or later, with JetStream): the shared
//! one at `NOVEL_EVENTS_NATS_URL` (default `nats://127.0.0.1:4222`), and for the restart test
//! one of its own. Each test uses a catalog (so streams) of its own, and deletes it at the end.

mod attempts;
mod dead_letters;
mod delivery;
mod ordering;
mod restart;
mod safety;
mod sigkill;
mod support;
mod wire;
