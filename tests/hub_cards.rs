//! Hub model cards build as the Hub shows them (issue 12, deliverables 6–8).
//!
//! `hub-cards` holds twenty-two real cards copied unchanged from public repositories that
//! state their licence (sources and licences in its `SOURCES.md`), without their weights:
//! the build has no error, each thing the Hub shows with a hint is a warning at its file,
//! line and column, and each page is whole (metadata, "More metadata", static widget
//! examples with chat messages and expected outputs, results with an empty metric, a link to
//! the Hub). `hub-tolerated` has small cards written for these tests, one per tolerated
//! problem, to pin each warning's position and the page's markup.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// The `warning: ` lines of a build, without the prefix, in order.
fn warnings(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("warning: ").map(str::to_string))
        .collect()
}

/// Builds `fixture` and checks it succeeds with no error at all.
fn build_clean(fixture_name: &str, out: &Path) -> Output {
    let output = build(&fixture(fixture_name), out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{fixture_name} must build:\n{}", shown(&output));
    assert!(!stderr.contains("error"), "{fixture_name}: no errors expected:\n{stderr}");
    output
}

/// Checks that the warnings are exactly `expected`: each a location and the start of its
/// message, in build order.
fn assert_warnings(output: &Output, expected: &[(&str, &str)]) {
    let got = warnings(output);
    let shown_all = got.join("\n");
    assert_eq!(got.len(), expected.len(), "warnings:\n{shown_all}");
    for (line, (location, start)) in got.iter().zip(expected) {
        let want = format!("{location}: {start}");
        assert!(line.starts_with(&want), "expected `{want}`, got `{line}`\nall warnings:\n{shown_all}");
    }
}

/// The part of a model page the model template writes.
fn article(html: &str) -> &str {
    let start = html.find("<article class=\"content\">").expect("an article");
    let end = html[start..].find("</article>").expect("a closed article") + start;
    &html[start..end + "</article>".len()]
}

const NO_METADATA: &str = "the card has no metadata block";
const NO_LICENSE: &str = "the card has no `license`";
const STATIC_WIDGET: &str = "`widget` without `pipeline_tag`, `model-index` or a known `library_name`";
const BROKEN_LINK: &str = "broken link";

#[test]
fn real_hub_cards_build_with_located_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build_clean("hub-cards", &out);
    let m = |id: &str, at: &str| format!("content/models/{id}/README.md:{at}");
    let broken_anchor = "broken anchor";
    let expected = [
        (m("all-minilm-l6-v2-onnx", "1:1"), NO_METADATA),
        (m("codellama-flowertune", "2:1"), NO_LICENSE),
        (m("deepseek-coder-7b-flowertune", "2:1"), NO_LICENSE),
        (m("detr-resnet-50", "8:1"), STATIC_WIDGET),
        (m("gpt2-finetuned-recipes-cooking", "2:1"), NO_LICENSE),
        (m("gpt2-finetuned-recipes-cooking", "4:1"), STATIC_WIDGET),
        (m("gpt2-finetuned-recipes-cooking-v2", "2:1"), NO_LICENSE),
        (m("gpt2-openai", "1:1"), NO_METADATA),
        // MTEB's task types, once per card.
        (
            m("jina-embeddings-v2-base-en", "18:7"),
            "`Classification`, `Retrieval`, `Clustering`, `Reranking`, `STS`, `PairClassification`, `Summarization` are not tasks the Hugging Face Hub knows",
        ),
        (m("llama-2", "1:1"), NO_METADATA),
        (m("stack-2.9", "21:5"), "this `model-index` result names no `dataset`"),
        (m("stack-2.9", "25:7"), "the metric `pass_at_1` has no value; it is shown as \"—\""),
        (m("stack-2.9", "22:7"), "`code-generation` is not a task the Hugging Face Hub knows"),
        (m("stack-2.9", "27:7"), "`model-index` has no key `confidence` here; it is ignored"),
        (m("stack-2.9", "28:7"), "`model-index` has no key `notes` here; it is ignored"),
        (m("tinyllama-flowertune", "2:1"), NO_LICENSE),
        (m("whisper-openai", "1:1"), NO_METADATA),
        // Links the Hub renders broken, found once the cards render.
        (m("gpt2-openai", "57:56"), "broken link `domains.txt`"),
        (m("llave-2b", "37:1"), "broken link `./figures/leaderboard.png`"),
        (m("llave-2b", "42:1"), "broken link `./figures/results.png`"),
        (m("stack-2.9", "290:44"), "broken link `LICENSE`"),
        // GitHub keeps U+FE0F of `⚙️ Quantitation` in the id; mdBook's rule, labbook's, drops it.
        (m("yi-6b-chat-4bits", "86:9"), broken_anchor),
        (m("yi-6b-chat-4bits", "87:9"), broken_anchor),
        (m("yi-6b-chat-4bits", "92:7"), broken_anchor),
        (m("yi-6b-chat-4bits", "237:5"), broken_anchor),
        (m("yi-6b-chat-4bits", "238:5"), broken_anchor),
        (m("yi-6b-chat-4bits", "307:3"), broken_anchor),
        (m("yi-6b-chat-4bits", "432:143"), "broken link `./conda-lock.yml`"),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(l, s)| (l.as_str(), *s)).collect();
    assert_warnings(&output, &expected);
    assert!(warnings(&output).iter().filter(|w| w.contains(BROKEN_LINK)).all(|w| w.contains("no page or file")));
    assert!(warnings(&output).iter().filter(|w| w.contains(broken_anchor)).all(|w| w.contains("with id `\u{fe0f}-")));

    // Every card has its page, and its README beside it, as on the Hub.
    let ids: Vec<String> = std::fs::read_dir(fixture("hub-cards").join("content/models"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids.len(), 22, "twenty-two real cards");
    let catalogue = read(&out, "models/index.html");
    for id in &ids {
        let page = read(&out, &format!("models/{id}/index.html"));
        assert!(out.join(format!("models/{id}/README.md")).is_file(), "{id}: the card is downloadable");
        // Without weights: a full page that says why there is no tensor table or Try it.
        let body = article(&page);
        assert!(body.contains("The weights of this model are not in this book"), "{id}: {body}");
        assert!(!body.contains("id=\"model-tensors\"") && !body.contains("id=\"model-try\""), "{id}");
        assert!(catalogue.contains(&format!("href=\"{id}/index.html\"")), "{id} is in the catalogue");
    }

    // Gated cards: the `extra_gated_*` keys are kept in the "More metadata" panel.
    let gemma = read(&out, "models/shieldgemma-2-4b-it/index.html");
    assert!(gemma.contains("<h2 id=\"model-more\">More metadata</h2>"));
    for key in ["extra_gated_heading", "extra_gated_prompt", "extra_gated_button_content"] {
        assert!(gemma.contains(&format!("<dt><code>{key}</code></dt>")), "{key}");
    }
    assert!(gemma.contains("<dt><code>extra_gated_heading</code></dt><dd>Access Gemma on Hugging Face</dd>"));
    assert!(gemma.contains("you’re required to review and agree to"), "the gate's prompt is shown");
    assert!(gemma.contains("<dt><code>extra_gated_button_content</code></dt><dd>Acknowledge license</dd>"));
    // Unknown keys of other kinds: `thumbnail` (2020 cards), `language_bcp47`.
    let electra = read(&out, "models/electra-small-discriminator/index.html");
    assert!(
        electra.contains("<dt><code>thumbnail</code></dt><dd>https://huggingface.co/front/thumbnails/google.png</dd>")
    );
    let cooking = read(&out, "models/gpt2-finetuned-recipes-cooking/index.html");
    assert!(cooking.contains("<dt><code>thumbnail</code></dt><dd>—</dd>"), "an empty value reads as —");
    let stack = read(&out, "models/stack-2.9/index.html");
    assert!(stack.contains("<dt><code>model-name</code></dt><dd>Stack 2.9</dd>"));

    // `widget` without `pipeline_tag`: the examples as static text, images as links.
    let detr = read(&out, "models/detr-resnet-50/index.html");
    assert!(detr.contains("<h2 id=\"model-examples\">Widget examples</h2>"));
    assert!(detr.contains("<p class=\"model-example-title\">Football Match</p>"));
    assert!(detr.contains("<a href=\"https://huggingface.co/datasets/mishig/sample_images/resolve/main/savanna.jpg\">"));
    assert!(cooking.contains("<p class=\"model-example-input\">HuggingFace Cake:</p>"));

    // Chat examples (`messages`) and expected outputs (`output`), as the cards write them.
    let phi = read(&out, "models/phi-3-mini-128k-instruct/index.html");
    assert!(phi.contains("<dl class=\"model-chat\"><div><dt>user</dt><dd>Can you provide ways to eat combinations of bananas and dragonfruits?</dd></div></dl>"));
    let yi = read(&out, "models/yi-6b-chat-4bits/index.html");
    assert!(yi.contains("<p class=\"model-example-title\">Yi-34B-Chat</p>\n      <p class=\"model-example-input\">hi</p>\n      <pre class=\"model-generated\"> Hello! How can I assist you today?</pre>"), "{}", article(&yi));
    // Audio examples are links; the languages of a multilingual card are catalogue filters.
    let whisper = read(&out, "models/whisper-large-v3/index.html");
    assert!(whisper.contains("<a href=\"https://cdn-media.huggingface.co/speech_samples/sample1.flac\">"));
    assert!(whisper.contains("<a href=\"../index.html#language=he\">he</a>"));
    let text2vec = read(&out, "models/text2vec-base-chinese/index.html");
    assert!(text2vec.contains("<a href=\"../index.html#task=sentence-similarity\">Sentence Similarity</a>"));

    // `model-index` results: MTEB's tables, and a metric without a value or a dataset.
    let jina = read(&out, "models/jina-embeddings-v2-base-en/index.html");
    assert!(jina.contains(
        "<caption><strong>Classification</strong> on <strong>MTEB AmazonCounterfactualClassification (en)</strong>"
    ));
    assert!(jina.contains("<td class=\"num\">74.73134328358209</td>"), "results are shown as written");
    assert!(
        stack.contains("<caption><strong>Code Generation</strong> (no dataset named)</caption>"),
        "{}",
        article(&stack)
    );
    assert!(stack.contains("<tr><td>pass_at_1</td><td><code>pass_at_1</code></td><td class=\"num\">—</td></tr>"));

    // The Hub repository of the base model, when the card names it.
    let deepseek = read(&out, "models/deepseek-coder-7b-flowertune/index.html");
    assert!(deepseek.contains(
        "names its base model on the Hugging Face Hub: <a href=\"https://huggingface.co/deepseek-ai/deepseek-coder-7b-instruct-v1.5\">"
    ));
    let adapter = read(&out, "models/tinyllama-flowertune/index.html");
    assert!(adapter.contains(
        "names its base model on the Hugging Face Hub: <a href=\"https://huggingface.co/TinyLlama/TinyLlama-1.1B-Chat-v1.0\">"
    ));
    let gguf = read(&out, "models/qwen2.5-0.5b-instruct-gguf/index.html");
    assert!(gguf.contains("<a href=\"https://huggingface.co/Qwen/Qwen2.5-0.5B\"><code>Qwen/Qwen2.5-0.5B</code></a>"));
    assert!(gguf.contains(
        "(<a href=\"https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/LICENSE\">licence text</a>)"
    ));

    // A card whose metadata follows a blank line, as the Hub accepts.
    let vl = read(&out, "models/qwen2.5-vl-72b-instruct/index.html");
    assert!(vl.contains("<a href=\"https://huggingface.co/Qwen/Qwen2.5-VL-72B-Instruct/blob/main/LICENSE\">qwen</a>"));
    // A card with no metadata at all is a whole page of its Markdown.
    let gpt2 = read(&out, "models/gpt2-openai/index.html");
    assert!(gpt2.contains("<span class=\"model-none\">not given</span>"));
    assert!(article(&gpt2).contains("<h2"), "the card's sections are on the page");

    insta::assert_snapshot!("hub_card_detr_resnet_50", redact_asset_hashes(article(&detr)));
}

#[test]
fn tolerated_problems_are_warnings_shown_on_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build_clean("hub-tolerated", &out);
    let m = |id: &str, at: &str| format!("content/models/{id}/README.md:{at}");
    let expected = [
        (m("chat-widget", "10:1"), STATIC_WIDGET.to_string()),
        (m("licence-typo", "2:1"), NO_LICENSE.to_string()),
        (m("licence-typo", "2:1"), "unknown key `licence`: did you mean `license`?".to_string()),
        (m("metric-missing", "14:7"), "the metric `wer` has no value; it is shown as \"—\"".to_string()),
        (m("metric-missing", "16:7"), "the metric `cer` has no value".to_string()),
        (
            m("metric-missing", "19:1"),
            "`widget` without `pipeline_tag`: the task `automatic-speech-recognition` is inferred from `model-index`"
                .to_string(),
        ),
        (m("metric-text", "13:7"), "the metric `accuracy` has the value `high`, which is not a number".to_string()),
        (m("other-without-link", "3:1"), "`license: other` needs `license_link` too".to_string()),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(l, s)| (l.as_str(), s.as_str())).collect();
    assert_warnings(&output, &expected);

    let missing = read(&out, "models/metric-missing/index.html");
    assert_eq!(missing.matches("<td class=\"num\">—</td>").count(), 2, "null metric values read as —");
    assert!(missing.contains("<td class=\"num\">0.12</td>"));
    assert!(missing.contains("(task Automatic Speech Recognition, inferred from <code>model-index</code>)"));
    let text = read(&out, "models/metric-text/index.html");
    assert!(text.contains("<td class=\"num\">high</td>"), "a text value is shown as written");
    let typo = read(&out, "models/licence-typo/index.html");
    assert!(typo.contains("<dt><code>licence</code></dt><dd>mit</dd>"), "the misspelt key is kept");

    let chat = read(&out, "models/chat-widget/index.html");
    assert!(chat.contains("<dl class=\"model-chat\"><div><dt>system</dt><dd>You are terse.</dd></div><div><dt>user</dt><dd>Say hello.</dd></div></dl>"));
    assert!(chat.contains("<pre class=\"model-generated\">Hello.</pre>"), "the expected chat answer");
    assert!(chat.contains("<th scope=\"row\">POSITIVE</th>"), "expected label scores");
    assert!(chat.contains("<pre class=\"model-generated\">url: https://example.org/cat-mask.png</pre>"));
    for (key, value) in [("inference", "false"), ("model_creator", "Org")] {
        assert!(chat.contains(&format!("<dt><code>{key}</code></dt><dd>{value}</dd>")), "{key}");
    }
    assert!(
        chat.contains("<dt><code>co2_eq_emissions</code></dt><dd><pre>emissions: 1.2\nsource: codecarbon</pre></dd>")
    );
}

/// `models.74bd3461c0.css` -> `models.HASH.css`, so a stylesheet change does not churn the snapshot.
fn redact_asset_hashes(html: &str) -> String {
    let mut out = String::new();
    for (i, part) in html.split("models.").enumerate() {
        if i > 0 {
            out.push_str("models.");
            let hex = part.chars().take_while(|c| c.is_ascii_hexdigit()).count();
            if hex == 10 && part[hex..].starts_with('.') {
                out.push_str("HASH");
                out.push_str(&part[hex..]);
                continue;
            }
        }
        out.push_str(part);
    }
    out
}

/// Ten real dataset cards (issue 19) build as the Hub shows them: what it tolerates (old
/// keys, no licence, no metadata, metadata that is not YAML) is a warning at its place, and
/// each card has its page; the data beside six of them (the rows each card quotes, one as
/// Parquet written by pyarrow) fill their viewers.
#[test]
fn real_dataset_cards_build_with_located_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build_clean("hub-datasets", &out);
    let d = |id: &str, at: &str| format!("content/datasets/{id}/README.md:{at}");
    let no_license = "the card has no `license`";
    let expected = [
        (d("apps", "2:1"), no_license),
        (d("audiofolder", "1:1"), "the card has no metadata block"),
        (d("books", "8:1"), "the metadata block is not valid YAML (could not find expected ':')"),
        (d("boolq", "2:1"), "unknown key `languages`: did you mean `language`?"),
        (d("boolq", "2:1"), no_license),
        (d("emotion", "7:1"), "unknown key `languages`: did you mean `language`?"),
        (d("emotion", "9:1"), "unknown key `licenses`: did you mean `license`?"),
        (d("emotion", "2:1"), no_license),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(l, s)| (l.as_str(), *s)).collect();
    assert_warnings(&output, &expected);

    let ids: Vec<String> = std::fs::read_dir(fixture("hub-datasets").join("content/datasets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    assert_eq!(ids.len(), 10, "ten real cards");
    let catalogue = read(&out, "datasets/index.html");
    for id in &ids {
        let page = read(&out, &format!("datasets/{id}/index.html"));
        assert!(page.contains("<span class=\"dataset-kicker\">Dataset</span>"), "{id}");
        assert!(catalogue.contains(&format!("data-id=\"{id}\"")), "{id} is in the catalogue");
    }
    // Class names from `dataset_info` (integer keys), over JSON Lines and Parquet rows.
    let ag = read(&out, "datasets/ag_news/index.html");
    assert!(ag.contains("Sci/Tech <small>(3)</small>"), "{ag}");
    let banking = read(&out, "datasets/banking77/index.html");
    assert!(banking.contains("card_arrival <small>(11)</small>"), "{banking}");
    assert!(banking.contains("<code>train.parquet</code>"), "{banking}");
    let trec = read(&out, "datasets/trec/index.html");
    assert!(trec.contains("DESC:manner <small>(26)</small>"), "{trec}");
    let boolq = read(&out, "datasets/boolq/index.html");
    assert!(boolq.contains("<code>bool</code>"), "a boolean column: {boolq}");
    // Old keys are kept for "More metadata".
    let emotion = read(&out, "datasets/emotion/index.html");
    assert!(emotion.contains("<code>licenses</code>"), "{emotion}");
}
