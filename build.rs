//! Generates the Traditional → Simplified character table at build time from
//! OpenCC's `TSCharacters` data (as embedded by the `ferrous-opencc` crate),
//! so that no process ever pays for building it at run time.
//!
//! Every CJK code point is converted on its own (one call over a
//! newline-separated string, so no phrase rule can span two characters), and
//! the characters that come back as one different character form the table.
//! Where OpenCC lists several Simplified candidates its first choice is kept.

use std::fmt::Write as _;
use std::path::PathBuf;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

/// The code points newsidx treats as CJK (see `src/analysis/bigram.rs`),
/// within the ranges the run-time table covers.
fn is_cjk(u: u32) -> bool {
    matches!(u, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2EBFF)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let cc = OpenCC::from_config(BuiltinConfig::T2s)
        .expect("OpenCC T2s data is compiled into ferrous-opencc");
    let chars: Vec<char> = (0x3040u32..0x2EC00)
        .filter(|&u| is_cjk(u))
        .filter_map(char::from_u32)
        .collect();
    let mut input = String::with_capacity(chars.len() * 5);
    for &c in &chars {
        input.push(c);
        input.push('\n');
    }
    let output = cc.convert(&input);
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (&from, to) in chars.iter().zip(output.split('\n')) {
        let mut it = to.chars();
        if let (Some(to), None) = (it.next(), it.next()) {
            if to != from {
                pairs.push((from as u32, to as u32));
            }
        }
    }
    // Fold to a fixed point (薴 → 苧 → 苎 becomes 薴 → 苎), so that folding
    // folded text changes nothing: queries are folded more than once.
    let map: std::collections::HashMap<u32, u32> = pairs.iter().copied().collect();
    for (_, to) in pairs.iter_mut() {
        let mut steps = 0;
        while let Some(&next) = map.get(to) {
            if next == *to || steps > 8 {
                break;
            }
            *to = next;
            steps += 1;
        }
    }
    pairs.retain(|(from, to)| from != to);
    pairs.sort_unstable();
    let mut src = String::new();
    let _ = writeln!(
        src,
        "/// (Traditional, Simplified) code points, sorted by the first."
    );
    let _ = writeln!(src, "pub static T2S: [(u32, u32); {}] = [", pairs.len());
    for (a, b) in &pairs {
        let _ = writeln!(src, "    (0x{a:X}, 0x{b:X}),");
    }
    let _ = writeln!(src, "];");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("t2s_table.rs");
    std::fs::write(out, src).expect("write t2s_table.rs");
}
