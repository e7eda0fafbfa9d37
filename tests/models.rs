//! Model cards: the `models` fixture book builds model pages, a catalogue and search
//! records; a model page is snapshot-tested; the bundled course's cards agree with their
//! weights; the widget examples become runner requests; and the catalogue filters (and the
//! widget, when the build ships the python runtime) work in headless Chromium from `file://`.

mod common;

use std::path::Path;

use common::*;
use labbook::modelcard::{self, safetensors, widget};

/// The `<article>` of a built page: the part the model template makes.
fn article(html: &str) -> &str {
    let start = html.find("<article class=\"content\">").expect("an article");
    let end = html[start..].find("</article>").expect("a closed article") + start;
    &html[start..end + "</article>".len()]
}

#[test]
fn fixture_models_build_pages_catalogue_and_search() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("models"), &out);
    assert!(output.status.success(), "{}", shown(&output));
    for file in [
        "models/index.html",
        "models/tiny-linear/index.html",
        "models/tiny-linear/model.safetensors",
        "models/tiny-linear/config.json",
        "models/tiny-linear/README.md",
        "models/story-writer/index.html",
        "models/digit-sketch/index.html",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }

    let page = read(&out, "models/tiny-linear/index.html");
    // Metadata panel.
    assert!(
        page.contains("href=\"../index.html#task=tabular-classification\">Tabular Classification</a>"),
        "task link"
    );
    assert!(page.contains("#license=apache-2.0\">apache-2.0</a>"), "licence");
    assert!(page.contains("none (trained from scratch)"), "no base model");
    // Results: one table per dataset split, metrics with their args.
    assert_eq!(page.matches("<table class=\"model-results-table\">").count(), 2, "test and validation tables");
    assert!(page.contains("split <code>validation</code>"));
    assert!(page.contains("(average: macro)"), "metric args are shown");
    // The card's own sections, with the "On this page" list mixing both.
    assert!(page.contains("<h2 id=\"training\">Training"), "card sections keep their ids");
    for id in ["model-try", "model-results", "training", "model-files", "model-tensors"] {
        assert!(page.contains(&format!("<a href=\"#{id}\">")), "on-this-page links to #{id}");
    }
    // Files with size and hash; the hash is the file's.
    let weights = std::fs::read(fixture("models").join("content/models/tiny-linear/model.safetensors")).unwrap();
    let sha = sha256_hex(&weights);
    assert!(page.contains(&sha), "the page shows the weights' sha256 {sha}");
    assert!(page.contains(&format!("title=\"{} bytes\"", weights.len())), "the exact size is in the title");
    // Tensor table read from the header.
    assert!(
        page.contains("<td><code>weight</code></td><td>F32</td><td>[3, 2]</td><td class=\"num\">6</td>"),
        "{}",
        article(&page)
    );
    assert!(page.contains("9 parameters in 2 tensors"), "total parameter count");
    // Links from a lesson and to the card's own anchors work.
    let index = read(&out, "index.html");
    assert!(index.contains("href=\"models/tiny-linear/index.html#training\""), "{index}");
    assert!(index.contains("href=\"models/index.html\""));

    let other = read(&out, "models/story-writer/index.html");
    assert!(other.contains("<a href=\"https://example.org/story-licence\">story-licence-1.0</a>"), "other licence");
    assert!(other.contains("<code>fixture/base-writer</code>") && other.contains("(finetune)"), "base model");
    assert!(!other.contains("model-tensors"), "no weights, no tensor table");
    assert!(!other.contains("class=\"model-widget\""), "no weights, no widget");

    let catalogue = read(&out, "models/index.html");
    assert!(catalogue.contains("<h1>Model zoo</h1>"), "the introduction's title");
    assert_eq!(catalogue.matches("class=\"catalogue-item\"").count(), 3);
    assert!(catalogue.contains("value=\"fixture/stories\"> <span class=\"facet-value\">fixture/stories</span> <span class=\"facet-count\">1</span>"));
    assert!(catalogue.contains("id=\"catalogue-data\""), "inline data, no fetch");

    // The print version holds the model pages and the catalogue like any page: a chapter
    // each (the article their template writes), lessons' links to them as in-document
    // anchors, and the style sheet they ask for.
    let print = read(&out, "print.html");
    assert!(print.contains("<section class=\"print-chapter content\" id=\"page-modelsindex\">"), "{print}");
    let chapter = print.split("id=\"page-modelstiny-linearindex\">").nth(1).expect("a tiny-linear chapter");
    assert!(chapter.contains("<span class=\"model-kicker\">Model</span> tiny-linear</h1>"), "{chapter}");
    assert!(chapter.contains("id=\"page-modelstiny-linearindex-model-tensors\""), "the tensor table");
    assert!(chapter.contains("<h2 id=\"page-modelstiny-linearindex-training\">Training"), "the card's own text");
    assert!(print.contains("href=\"#page-modelstiny-linearindex-training\""), "a lesson's link into a card");
    assert!(print.contains("<h1>Model zoo</h1>"), "the catalogue's chapter");
    assert!(print.contains("/models.") && print.contains(".css\">"), "models.css for the model chapters");
    assert!(!print.contains("models.js") && !print.contains("exercise.js"), "no widget scripts in print");

    let filters = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("filters."))
        .expect("a filters file");
    let filters = std::fs::read_to_string(filters).unwrap();
    assert!(filters.contains("\"model\":"), "models are search records of kind model: {filters}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn unknown_licence_is_a_warning_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let output = build(&fixture("models"), &tmp.path().join("site"));
    assert!(output.status.success(), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: content/models/digit-sketch/README.md:2:1: `made-up-licence` is not a licence id"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 1, "only the unknown licence warns:\n{stderr}");
}

#[test]
fn model_page_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("models"), &out);
    let page = read(&out, "models/tiny-linear/index.html");
    insta::assert_snapshot!("model_page_tiny_linear", redact_asset_hashes(article(&page)));
}

/// `models.74bd3461c0.css` -> `models.HASH.css`, so a stylesheet or runtime change does not churn the snapshot.
fn redact_asset_hashes(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    // Hashed names live under assets/ and runtime/ (the python runtime's script).
    while let Some((i, len)) = ["assets/", "runtime/"].iter().filter_map(|p| rest.find(p).map(|i| (i, p.len()))).min() {
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let name_end = rest.find(['"', '\'']).unwrap_or(rest.len());
        let parts: Vec<&str> = rest[..name_end].split('.').collect();
        if parts.len() == 3 && parts[1].len() == 10 && parts[1].chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str(&format!("{}.HASH.{}", parts[0], parts[2]));
            rest = &rest[name_end..];
        }
    }
    out.push_str(rest);
    out
}

/// The tensors of a safetensors file, as f64, read independently of the crate's reader.
fn tensors(path: &Path) -> std::collections::HashMap<String, Vec<f64>> {
    let bytes = std::fs::read(path).unwrap();
    let header = safetensors::read_file(path).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let json: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    let data = &bytes[8 + n..];
    header
        .tensors
        .iter()
        .map(|t| {
            assert_eq!(t.dtype, "F32");
            let offsets = json[&t.name]["data_offsets"].as_array().unwrap();
            let (a, b) = (offsets[0].as_u64().unwrap() as usize, offsets[1].as_u64().unwrap() as usize);
            let values = data[a..b].chunks(4).map(|c| f32::from_le_bytes(c.try_into().unwrap()) as f64).collect();
            (t.name.clone(), values)
        })
        .collect()
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

fn layer(w: &[f64], b: &[f64], x: &[f64]) -> Vec<f64> {
    (0..b.len()).map(|i| b[i] + (0..x.len()).map(|j| w[i * x.len() + j] * x[j]).sum::<f64>()).collect()
}

/// Every widget example's stated output is what the shipped weights compute, so the card's
/// numbers and the file beside it cannot drift apart.
#[test]
fn bundled_cards_agree_with_their_weights() {
    let book = labbook::load_book(&repo_root()).expect("the bundled course loads");
    let ids: Vec<&str> = modelcard::models(&book).cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["digits-mlp", "iris-softmax", "names-bigram"]);
    let mut checked = 0;
    for card in &modelcard::models(&book).cards {
        assert!(card.warnings.is_empty(), "{}: {:?}", card.id, card.warnings);
        let t = tensors(&card.text.abs.with_file_name("model.safetensors"));
        let labels = widget::settings(card).labels;
        for example in &card.meta.widget {
            let probs = match card.id.as_str() {
                "iris-softmax" => {
                    let d = example.structured_data.as_ref().unwrap();
                    let features = widget::settings(card).features;
                    let x: Vec<f64> = features
                        .iter()
                        .enumerate()
                        .map(|(j, f)| (d[f][0] - t["feature_mean"][j]) / t["feature_std"][j])
                        .collect();
                    softmax(&layer(&t["weight"], &t["bias"], &x))
                }
                "digits-mlp" => {
                    let x: Vec<f64> = example.pixels.as_ref().unwrap().iter().map(|p| p / 16.0).collect();
                    let h: Vec<f64> =
                        layer(&t["hidden.weight"], &t["hidden.bias"], &x).iter().map(|v| v.max(0.0)).collect();
                    softmax(&layer(&t["output.weight"], &t["output.bias"], &h))
                }
                _ => {
                    let Some(modelcard::metadata::WidgetOutput::Text { text }) = &example.output else { panic!() };
                    let p = &t["transition"];
                    let alphabet: Vec<char> = ".abcdefghijklmnopqrstuvwxyz".chars().collect();
                    let mut state = example.seed.unwrap();
                    let mut names = Vec::new();
                    for _ in 0..text.lines().count() {
                        let mut name = example.text.clone().unwrap();
                        let mut cur = name.chars().last().map_or(0, |c| alphabet.iter().position(|&a| a == c).unwrap());
                        while name.len() < 12 {
                            state = (1664525 * state + 1013904223) % 4294967296;
                            let u = state as f64 / 4294967296.0;
                            let mut cum = 0.0;
                            let mut pick = 26;
                            for b in 0..27 {
                                cum += p[cur * 27 + b];
                                if u < cum {
                                    pick = b;
                                    break;
                                }
                            }
                            if pick == 0 {
                                break;
                            }
                            name.push(alphabet[pick]);
                            cur = pick;
                        }
                        names.push(name);
                    }
                    assert_eq!(&names.join("\n"), text, "{}: {:?}", card.id, example.example_title);
                    checked += 1;
                    continue;
                }
            };
            let Some(modelcard::metadata::WidgetOutput::Labels(expected)) = &example.output else { panic!() };
            assert_eq!(expected.len(), labels.len(), "every label is listed");
            for l in expected {
                let i = labels.iter().position(|x| x == &l.label).unwrap();
                assert!(
                    (probs[i] - l.score).abs() <= 5e-5 + 1e-12,
                    "{} {}: {} vs {}",
                    card.id,
                    l.label,
                    probs[i],
                    l.score
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "every widget example was checked");
}

#[test]
fn widget_examples_become_runner_requests() {
    let book = labbook::load_book(&repo_root()).expect("load");
    assert!(widget::needs_python(modelcard::models(&book)), "the course's widgets need the python runtime");
    let runnable: Vec<bool> = modelcard::models(&book).cards.iter().map(|c| widget::runnable(c).is_some()).collect();
    assert_eq!(runnable, [true, true, true]);
    let cases = widget::book_widget_cases(&book).expect("every example can run");
    assert_eq!(cases.len(), 10);
    let iris = cases.iter().find(|c| c.model == "iris-softmax").unwrap();
    assert_eq!(iris.file, Path::new("content/models/iris-softmax/README.md"));
    let main = iris.request["files"]["main.py"].as_str().unwrap();
    assert!(
        main.starts_with(
            "LABELS = [\"setosa\", \"versicolor\", \"virginica\"]\nINPUT = [5.0, 3.6, 1.4, 0.2]\nimport tinyml\n"
        ),
        "{main}"
    );
    assert!(iris.request["files"]["model.safetensors"]["base64"].as_str().unwrap().len() > 400);
    let checks = iris.request["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 3);
    assert!(
        checks[0]["code"].as_str().unwrap().starts_with("assert abs(SCORES[\"setosa\"] - 0.9966) <= 0.00015"),
        "{checks:?}"
    );
    let text = cases.iter().find(|c| c.model == "names-bigram").unwrap();
    let stdout = text.request["checks"][0]["stdout"].as_str().unwrap();
    assert_eq!(stdout.lines().count(), 5);
    assert!(text.request["files"]["main.py"]
        .as_str()
        .unwrap()
        .starts_with("PREFIX = \"\"\nSEED = 42\nCOUNT = 5\nMAX_LEN = 12\n"));
    // Line numbers point at the example in the card.
    let card = std::fs::read_to_string(repo_root().join("content/models/names-bigram/README.md")).unwrap();
    assert!(card.lines().nth(text.line - 1).unwrap().starts_with("- example_title:"), "line {}", text.line);
}

#[test]
fn models_in_chromium_from_file_url() {
    if !can_run(missing_browser(), "tests/models.rs models_in_chromium_from_file_url") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let fixture_site = tmp.path().join("fixture");
    let course = tmp.path().join("course");
    build_ok(&fixture("models"), &fixture_site);
    build_ok(&repo_root(), &course);
    let scripts = repo_root().join("tests/browser");
    // The course's English site.
    let run = run_node(&scripts.join("models.mjs"), &[&fixture_site, &course.join("en")], &scripts);
    let stdout = run.expect_success("models.mjs", "");
    assert!(stdout.contains("ok    catalogue facets"), "{stdout}");
}

// ---------------------------------------------------------------- datasets (issue 19)

/// A small book with one dataset card (`readme`) and its files, built into `out`.
fn dataset_book(readme: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content/datasets/d")).unwrap();
    std::fs::write(root.join("book.yaml"), "title: Data\n").unwrap();
    std::fs::write(root.join("content/index.md"), "# Data\n\nSee [the data](datasets/d/README.md).\n").unwrap();
    std::fs::write(root.join("content/datasets/d/README.md"), readme).unwrap();
    for (name, bytes) in files {
        let path = root.join("content/datasets/d").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    tmp
}

/// The error lines of a failed build.
fn build_errors(root: &Path) -> String {
    let out = root.join("site");
    let output = build(root, &out);
    assert!(!output.status.success(), "the build must fail:\n{}", shown(&output));
    assert!(!out.join("index.html").exists(), "no site is written");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const CARD: &str = "---\nlicense: mit\n---\n\n# D\n";

#[test]
fn malformed_data_files_are_located_errors() {
    let ragged = dataset_book(CARD, &[("train.csv", b"a,b\n1,2\n3,4\n5\n")]);
    let e = build_errors(ragged.path());
    assert!(e.contains("content/datasets/d/train.csv:4:1: this row has 1 fields but the header has 2"), "{e}");

    let jsonl = dataset_book(CARD, &[("data/test.jsonl", b"{\"text\": \"ok\"}\n{\"text\": \"no closing quote}\n")]);
    let e = build_errors(jsonl.path());
    assert!(e.contains("content/datasets/d/data/test.jsonl:2:"), "{e}");
    assert!(e.contains("not valid JSON: EOF while parsing a string"), "{e}");

    let parquet = dataset_book(CARD, &[("train.parquet", b"PAR1\x00\x01\x02 truncated: the footer is gone")]);
    let e = build_errors(parquet.path());
    assert!(
        e.contains("content/datasets/d/train.parquet: not a valid Parquet file: its footer (the last 8 bytes, from byte 29 of 37"),
        "{e}"
    );

    let card = "---\nlicense: mit\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*.csv\n---\n# D\n";
    let glob = dataset_book(card, &[("data/test.csv", b"a\n1\n")]);
    let e = build_errors(glob.path());
    assert!(
        e.contains("content/datasets/d/README.md:7:5: `data/train-*.csv` (split `train` of `default`) matches no file in content/datasets/d"),
        "{e}"
    );
}

#[test]
fn a_dataset_builds_its_viewer_from_every_format() {
    let card = "---\nlicense: cc-by-4.0\nlanguage: en\ntask_categories: [text-classification]\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: [\"a.csv\", \"b.tsv\"]\n  - split: test\n    path: t.jsonl\ndataset_info:\n  features:\n  - name: label\n    dtype:\n      class_label:\n        names:\n          '0': neg\n          '1': pos\n---\n# Reviews\n\nShort reviews.\n";
    let book = dataset_book(
        card,
        &[
            ("a.csv", b"text,label\ngreat film,1\n\"dull, long\",0\n"),
            ("b.tsv", b"text\tlabel\nfine acting\t1\n"),
            ("t.jsonl", b"{\"text\": \"bad plot\", \"label\": 0}\n"),
        ],
    );
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let page = read(&out, "datasets/d/index.html");
    assert!(page.contains("<h3 id=\"dataset-split-0\">Split train</h3>"), "{page}");
    assert!(page.contains("3 rows, 2 columns"), "{page}");
    // The first rows are written tersely (no end tags, no class per cell): they are most of
    // a dataset page's bytes.
    assert!(page.contains("<td>dull, long<td>") || page.contains("<td>dull, long\n"), "{page}");
    assert!(page.contains("neg <small>(0)</small>"), "{page}");
    let tbody = &page[page.find("<tbody>").unwrap()..page.find("</tbody>").unwrap()];
    assert!(tbody.contains("<tr><th scope=row>0<td>") && !tbody.contains("</td>"), "{tbody}");
    assert!(page.contains("<title>pos: 2 (67%)</title>"), "the label chart counts the class names: {page}");
    // The shards: rows, orders, the filter's words.
    let rows = read(&out, "datasets/d/viewer/0/r-0.js");
    assert_eq!(
        rows,
        "window.__labbookData.rows(\"d/0\",0,[[\"great film\",1],[\"dull, long\",0],[\"fine acting\",1]]);\n"
    );
    let order = read(&out, "datasets/d/viewer/0/o-0-0.js");
    assert_eq!(order, "window.__labbookData.order(\"d/0\",0,0,[1,2,0]);\n");
    let terms = read(&out, "datasets/d/viewer/0/t-0.js");
    // A rare word keeps its rows in its entry, as differences: rows 0 and 2.
    assert!(terms.contains("\"pos\":[2,[0,2]]"), "{terms}");
    assert!(out.join("datasets/d/viewer/1/r-0.js").is_file());
    assert!(out.join("datasets/d/a.csv").is_file() && out.join("datasets/d/README.md").is_file());
    let catalogue = read(&out, "datasets/index.html");
    assert!(catalogue.contains("Text Classification") && catalogue.contains("cc-by-4.0"), "{catalogue}");
}

/// The figures a dataset page writes at build time (row counts, statistics, chart counts
/// and shares, catalogue counts) read the book language's way: `1 500` and `1 234,5` in
/// French, `1.500` and `1.234,5` in German.
#[test]
fn dataset_figures_are_written_the_reader_s_way() {
    let mut csv = String::from("x,label\n");
    for k in 0..1500 {
        csv.push_str(&format!("{},{}\n", if k % 2 == 0 { "1234.5" } else { "2000" }, k % 2));
    }
    let card = "---\nlicense: mit\ndataset_info:\n  features:\n  - name: label\n    dtype:\n      class_label:\n        names:\n          '0': neg\n          '1': pos\n---\n# D\n";
    let book = dataset_book(card, &[("train.csv", csv.as_bytes())]);
    for (language, rows, min, mean, chart, catalogue_rows) in [
        (
            "fr",
            "1\u{202f}500 lignes, 2 colonnes",
            "1\u{202f}234,5",
            "1\u{202f}617,25",
            "<title>neg: 750 (50\u{a0}%)</title>",
            "1\u{202f}500",
        ),
        ("de", "1.500 Zeilen, 2 Spalten", "1.234,5", "1.617,25", "<title>neg: 750 (50\u{a0}%)</title>", "1.500"),
        ("en", "1,500 rows, 2 columns", "1,234.5", "1,617.25", "<title>neg: 750 (50%)</title>", "1,500"),
    ] {
        std::fs::write(book.path().join("book.yaml"), format!("title: Data\nlanguage: {language}\n")).unwrap();
        let out = book.path().join(format!("site-{language}"));
        build_ok(book.path(), &out);
        let page = read(&out, "datasets/d/index.html");
        for expected in [rows, min, mean, chart] {
            assert!(page.contains(expected), "{language}: `{expected}` in\n{page}");
        }
        let catalogue = read(&out, "datasets/index.html");
        assert!(catalogue.contains(catalogue_rows), "{language}: `{catalogue_rows}` in\n{catalogue}");
    }
}

#[test]
fn the_course_datasets_link_their_models() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);
    // The course's English site (its translations are beside it).
    let out = out.join("en");
    for (id, rows) in [("iris", "150 rows"), ("digits", "1,797 rows"), ("census-1990-given-names", "4,131 rows")] {
        let page = read(&out, &format!("datasets/{id}/index.html"));
        assert!(page.contains(rows), "{id}");
        assert!(page.contains("id=\"dataset-models\""), "{id} lists its models");
    }
    let iris = read(&out, "datasets/iris/index.html");
    assert!(iris.contains("<a href=\"../../models/iris-softmax/index.html\">"), "the dataset page links its model");
    let model = read(&out, "models/iris-softmax/index.html");
    assert!(
        model.contains("<a href=\"../../datasets/iris/index.html\">scikit-learn/iris</a>"),
        "datasets: links the page"
    );
    assert!(
        model.contains("<a href=\"../../datasets/iris/index.html\">Iris flowers (every fifth flower held out)</a>"),
        "the model-index result links its dataset"
    );
    let catalogue = read(&out, "datasets/index.html");
    assert_eq!(catalogue.matches("class=\"catalogue-item\"").count(), 3);
}
