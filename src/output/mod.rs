//! Printers: for people (colour or plain markers) and for scripts (JSON Lines).

pub mod attention_table;
pub mod human;
pub mod json;
pub mod kwic;
pub mod wire;
