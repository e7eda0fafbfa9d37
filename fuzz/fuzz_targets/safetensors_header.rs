//! A safetensors file's header: its tensors, or an error saying what is wrong; never a
//! panic, and never an allocation of the size a corrupt length announces.
#![no_main]

use labbook_models::safetensors::read_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(header) = read_header(bytes, bytes.len() as u64) {
        let _ = header;
    }
});
