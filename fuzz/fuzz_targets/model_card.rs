//! A model card (`content/models/<id>/README.md`): YAML metadata and Markdown, loaded and
//! validated as the models feature does; a card, or errors at places in that file.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use labbook_models::load_models;
use libfuzzer_sys::fuzz_target;

fn content() -> &'static Path {
    static CONTENT: OnceLock<PathBuf> = OnceLock::new();
    CONTENT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("labbook-fuzz-card-{}", std::process::id()));
        std::fs::create_dir_all(root.join("models/m")).unwrap();
        root
    })
}

fuzz_target!(|text: &str| {
    let content = content();
    std::fs::write(content.join("models/m/README.md"), text).unwrap();
    let display = Path::new("content/models/m/README.md");
    match load_models(content, Path::new("content")) {
        Ok(models) => {
            for w in models.cards.iter().flat_map(|c| &c.warnings) {
                assert!(w.points_into(display, text), "warning {w:?} does not point into the text");
            }
        }
        Err(errors) => {
            for e in errors.0 {
                assert!(e.points_into(display, text), "{e:?} does not point into the text");
            }
        }
    }
});
