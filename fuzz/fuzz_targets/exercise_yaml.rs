//! `exercises/<id>/exercise.yaml`: an exercise, or an error at a place in that file. The
//! file is written into a scratch book that has the starter and solution it may name.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use labbook_exercises::config::ExerciseDefaults;
use labbook_exercises::spec::load_exercise;
use libfuzzer_sys::fuzz_target;

fn book() -> &'static Path {
    static BOOK: OnceLock<PathBuf> = OnceLock::new();
    BOOK.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("labbook-fuzz-exercise-{}", std::process::id()));
        let dir = root.join("exercises/ex");
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("starter.py"), "def f(x):\n    return x\n").unwrap();
        std::fs::write(dir.join("solution.py"), "def f(x):\n    return 2 * x\n").unwrap();
        std::fs::write(dir.join("check.py"), "assert f(1) == 2, 'f(1) should be 2'\n").unwrap();
        std::fs::write(dir.join("data/values.csv"), "x,y\n1,2\n").unwrap();
        root
    })
}

fuzz_target!(|text: &str| {
    let root = book();
    std::fs::write(root.join("exercises/ex/exercise.yaml"), text).unwrap();
    let display = Path::new("exercises/ex/exercise.yaml");
    if let Err(e) = load_exercise(root, "ex", &ExerciseDefaults::default(), &["cat"]) {
        assert!(e.points_into(display, text), "{e:?} does not point into the text");
    }
});
