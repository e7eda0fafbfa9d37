//! The three models: softmax regression, a one-hidden-layer MLP and a character bigram table.
//! Training runs in f64; the shipped weights are f32, and every reported number is computed
//! from the f32 weights, so the card describes exactly the file beside it.

use crate::data::Table;
use crate::rng::Rng;

/// One tensor to write: name, shape, row-major values.
pub struct Tensor {
    pub name: &'static str,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

impl Tensor {
    fn new(name: &'static str, shape: Vec<usize>, values: &[f64]) -> Tensor {
        Tensor { name, shape, values: values.iter().map(|&v| v as f32).collect() }
    }

    /// The stored values, widened back for evaluation.
    pub fn f64s(&self) -> Vec<f64> {
        self.values.iter().map(|&v| v as f64).collect()
    }
}

pub fn softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|&z| (z - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |best, i| if v[i] > v[best] { i } else { best })
}

/// `w` is `rows x cols` row-major.
fn affine(w: &[f64], b: &[f64], x: &[f64]) -> Vec<f64> {
    let cols = x.len();
    b.iter().enumerate().map(|(r, &bias)| bias + (0..cols).map(|c| w[r * cols + c] * x[c]).sum::<f64>()).collect()
}

/// Accuracy and mean cross-entropy of a probability model on a table.
pub struct Scores {
    pub correct: usize,
    pub total: usize,
    pub loss: f64,
    /// confusion[true][predicted]
    pub confusion: Vec<Vec<usize>>,
}

impl Scores {
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.total as f64
    }

    /// Unweighted mean of the per-class F1 scores.
    pub fn macro_f1(&self) -> f64 {
        let k = self.confusion.len();
        let f1s: Vec<f64> = (0..k)
            .map(|c| {
                let tp = self.confusion[c][c] as f64;
                let predicted: usize = (0..k).map(|t| self.confusion[t][c]).sum();
                let actual: usize = self.confusion[c].iter().sum();
                if tp == 0.0 {
                    0.0
                } else {
                    2.0 * tp / (predicted as f64 + actual as f64)
                }
            })
            .collect();
        f1s.iter().sum::<f64>() / k as f64
    }
}

fn score(table: &Table, classes: usize, predict: impl Fn(&[f64]) -> Vec<f64>) -> Scores {
    let mut s = Scores { correct: 0, total: table.x.len(), loss: 0.0, confusion: vec![vec![0; classes]; classes] };
    for (x, &y) in table.x.iter().zip(&table.y) {
        let p = predict(x);
        let guess = argmax(&p);
        s.correct += usize::from(guess == y);
        s.confusion[y][guess] += 1;
        s.loss -= p[y].max(1e-300).ln();
    }
    s.loss /= s.total as f64;
    s
}

// ---------------------------------------------------------------- softmax regression on iris

pub struct SoftmaxRegression {
    pub tensors: Vec<Tensor>,
    pub train: Scores,
    pub test: Scores,
    /// Training loss after the epochs listed in `LOSS_EPOCHS`.
    pub loss_curve: Vec<(usize, f64)>,
}

pub const IRIS_LR: f64 = 0.5;
pub const IRIS_EPOCHS: usize = 200;

/// Standardised features, zero-initialised weights, full-batch gradient descent: the
/// procedure of content/ml/softmax.md, so the card and the chapter agree.
pub fn train_softmax(train: &Table, test: &Table) -> SoftmaxRegression {
    let (n, d, k) = (train.x.len(), train.x[0].len(), train.labels.len());
    let mean: Vec<f64> = (0..d).map(|j| train.x.iter().map(|x| x[j]).sum::<f64>() / n as f64).collect();
    let std: Vec<f64> =
        (0..d).map(|j| (train.x.iter().map(|x| (x[j] - mean[j]).powi(2)).sum::<f64>() / n as f64).sqrt()).collect();
    let standardise = |x: &[f64], mean: &[f64], std: &[f64]| -> Vec<f64> {
        x.iter().zip(mean).zip(std).map(|((v, m), s)| (v - m) / s).collect()
    };
    let s_train: Vec<Vec<f64>> = train.x.iter().map(|x| standardise(x, &mean, &std)).collect();
    let mut w = vec![0.0; k * d];
    let mut b = vec![0.0; k];
    let mut loss_curve = Vec::new();
    for epoch in 0..=IRIS_EPOCHS {
        let mut gw = vec![0.0; k * d];
        let mut gb = vec![0.0; k];
        let mut loss = 0.0;
        for (x, &y) in s_train.iter().zip(&train.y) {
            let p = softmax(&affine(&w, &b, x));
            loss -= p[y].ln();
            for c in 0..k {
                let g = p[c] - f64::from(u8::from(c == y));
                gb[c] += g / n as f64;
                for j in 0..d {
                    gw[c * d + j] += g * x[j] / n as f64;
                }
            }
        }
        if [0, 1, 10, 50, 100, 200].contains(&epoch) {
            loss_curve.push((epoch, loss / n as f64));
        }
        if epoch == IRIS_EPOCHS {
            break;
        }
        for (wi, gi) in w.iter_mut().zip(&gw) {
            *wi -= IRIS_LR * gi;
        }
        for (bi, gi) in b.iter_mut().zip(&gb) {
            *bi -= IRIS_LR * gi;
        }
    }
    let tensors = vec![
        Tensor::new("weight", vec![k, d], &w),
        Tensor::new("bias", vec![k], &b),
        Tensor::new("feature_mean", vec![d], &mean),
        Tensor::new("feature_std", vec![d], &std),
    ];
    let model = |t: &[Tensor]| {
        let (w, b, m, s) = (t[0].f64s(), t[1].f64s(), t[2].f64s(), t[3].f64s());
        move |x: &[f64]| softmax(&affine(&w, &b, &standardise(x, &m, &s)))
    };
    let train_scores = score(train, k, model(&tensors));
    let test_scores = score(test, k, model(&tensors));
    SoftmaxRegression { tensors, train: train_scores, test: test_scores, loss_curve }
}

/// Class probabilities of the shipped softmax model for raw measurements.
pub fn softmax_predict(tensors: &[Tensor], x: &[f64]) -> Vec<f64> {
    let (w, b, m, s) = (tensors[0].f64s(), tensors[1].f64s(), tensors[2].f64s(), tensors[3].f64s());
    let z: Vec<f64> = x.iter().zip(&m).zip(&s).map(|((v, m), s)| (v - m) / s).collect();
    softmax(&affine(&w, &b, &z))
}

// ---------------------------------------------------------------- MLP on digits

pub struct Mlp {
    pub tensors: Vec<Tensor>,
    pub train: Scores,
    pub test: Scores,
    /// Mean training loss of each epoch.
    pub epoch_losses: Vec<f64>,
}

pub const MLP_HIDDEN: usize = 32;
pub const MLP_EPOCHS: usize = 30;
pub const MLP_BATCH: usize = 32;
pub const MLP_LR: f64 = 0.1;
pub const MLP_SEED: u64 = 20261123;

/// Pixels arrive as 0-16; the network sees them divided by 16.
pub fn scale_pixels(x: &[f64]) -> Vec<f64> {
    x.iter().map(|v| v / 16.0).collect()
}

/// 64 -> 32 (ReLU) -> 10, He-initialised from the fixed seed, minibatch SGD on shuffled
/// batches. The hyperparameters were fixed before looking at the test set and never tuned on it.
pub fn train_mlp(train: &Table, test: &Table) -> Mlp {
    let (d, h, k) = (train.x[0].len(), MLP_HIDDEN, train.labels.len());
    let mut rng = Rng::new(MLP_SEED);
    let mut w1: Vec<f64> = (0..h * d).map(|_| rng.normal() * (2.0 / d as f64).sqrt()).collect();
    let mut b1 = vec![0.0; h];
    let mut w2: Vec<f64> = (0..k * h).map(|_| rng.normal() * (2.0 / h as f64).sqrt()).collect();
    let mut b2 = vec![0.0; k];
    let xs: Vec<Vec<f64>> = train.x.iter().map(|x| scale_pixels(x)).collect();
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut epoch_losses = Vec::new();
    for _ in 0..MLP_EPOCHS {
        rng.shuffle(&mut order);
        let mut total = 0.0;
        for batch in order.chunks(MLP_BATCH) {
            let mut gw1 = vec![0.0; h * d];
            let mut gb1 = vec![0.0; h];
            let mut gw2 = vec![0.0; k * h];
            let mut gb2 = vec![0.0; k];
            for &i in batch {
                let x = &xs[i];
                let pre = affine(&w1, &b1, x);
                let hid: Vec<f64> = pre.iter().map(|&v| v.max(0.0)).collect();
                let p = softmax(&affine(&w2, &b2, &hid));
                total -= p[train.y[i]].ln();
                let dz: Vec<f64> = (0..k).map(|c| p[c] - f64::from(u8::from(c == train.y[i]))).collect();
                let mut dh = vec![0.0; h];
                for c in 0..k {
                    gb2[c] += dz[c];
                    for j in 0..h {
                        gw2[c * h + j] += dz[c] * hid[j];
                        dh[j] += dz[c] * w2[c * h + j];
                    }
                }
                for j in 0..h {
                    if pre[j] <= 0.0 {
                        continue;
                    }
                    gb1[j] += dh[j];
                    for (g, &xv) in gw1[j * d..(j + 1) * d].iter_mut().zip(x) {
                        *g += dh[j] * xv;
                    }
                }
            }
            let step = MLP_LR / batch.len() as f64;
            for (p, g) in w1.iter_mut().zip(&gw1).chain(b1.iter_mut().zip(&gb1)) {
                *p -= step * g;
            }
            for (p, g) in w2.iter_mut().zip(&gw2).chain(b2.iter_mut().zip(&gb2)) {
                *p -= step * g;
            }
        }
        epoch_losses.push(total / xs.len() as f64);
    }
    let tensors = vec![
        Tensor::new("hidden.weight", vec![h, d], &w1),
        Tensor::new("hidden.bias", vec![h], &b1),
        Tensor::new("output.weight", vec![k, h], &w2),
        Tensor::new("output.bias", vec![k], &b2),
    ];
    let train_scores = score(train, k, |x| mlp_predict(&tensors, x));
    let test_scores = score(test, k, |x| mlp_predict(&tensors, x));
    Mlp { tensors, train: train_scores, test: test_scores, epoch_losses }
}

/// Digit probabilities of the shipped MLP for 64 raw pixels (0-16).
pub fn mlp_predict(tensors: &[Tensor], x: &[f64]) -> Vec<f64> {
    let hid: Vec<f64> =
        affine(&tensors[0].f64s(), &tensors[1].f64s(), &scale_pixels(x)).iter().map(|&v| v.max(0.0)).collect();
    softmax(&affine(&tensors[2].f64s(), &tensors[3].f64s(), &hid))
}

// ---------------------------------------------------------------- character bigrams on names

pub const ALPHABET: &str = ".abcdefghijklmnopqrstuvwxyz";
pub const ALPHAS: [f64; 6] = [1.0, 0.3, 0.1, 0.03, 0.01, 0.001];

pub struct Bigram {
    pub tensors: Vec<Tensor>,
    pub alpha: f64,
    /// (alpha, mean validation NLL over the folds) for every candidate.
    pub validation: Vec<(f64, f64)>,
    pub train_nll: f64,
    pub test_nll: f64,
    pub test_chars: usize,
}

fn index(c: char) -> usize {
    ALPHABET.find(c).expect("names are lowercase a-z")
}

fn bigram_probs(names: &[String], alpha: f64) -> Vec<f64> {
    let n = ALPHABET.len();
    let mut counts = vec![0.0; n * n];
    for name in names {
        let chars: Vec<char> = format!(".{name}.").chars().collect();
        for pair in chars.windows(2) {
            counts[index(pair[0]) * n + index(pair[1])] += 1.0;
        }
    }
    let mut probs = vec![0.0; n * n];
    for a in 0..n {
        let total: f64 = counts[a * n..(a + 1) * n].iter().sum::<f64>() + alpha * n as f64;
        for b in 0..n {
            probs[a * n + b] = (counts[a * n + b] + alpha) / total;
        }
    }
    probs
}

/// Mean negative log-likelihood per predicted character, and how many were predicted.
pub fn bigram_nll(probs: &[f64], names: &[String]) -> (f64, usize) {
    let n = ALPHABET.len();
    let (mut total, mut count) = (0.0, 0);
    for name in names {
        let chars: Vec<char> = format!(".{name}.").chars().collect();
        for pair in chars.windows(2) {
            total -= probs[index(pair[0]) * n + index(pair[1])].ln();
            count += 1;
        }
    }
    (total / count as f64, count)
}

/// Counts the bigrams of `train` and scores the table on `test`. Unlike the chapter (which
/// picks α on its held-out names), α is chosen by 3-fold cross-validation inside `train`,
/// so the held-out score is an honest one.
pub fn train_bigram(train: &[String], test: &[String]) -> Bigram {
    let folds = 3;
    let validation: Vec<(f64, f64)> = ALPHAS
        .iter()
        .map(|&alpha| {
            let mean = (0..folds)
                .map(|f| {
                    let fit: Vec<String> =
                        train.iter().enumerate().filter(|(i, _)| i % folds != f).map(|(_, s)| s.clone()).collect();
                    let held: Vec<String> =
                        train.iter().enumerate().filter(|(i, _)| i % folds == f).map(|(_, s)| s.clone()).collect();
                    bigram_nll(&bigram_probs(&fit, alpha), &held).0
                })
                .sum::<f64>()
                / folds as f64;
            (alpha, mean)
        })
        .collect();
    let alpha = validation.iter().fold(validation[0], |best, &v| if v.1 < best.1 { v } else { best }).0;
    let n = ALPHABET.len();
    let tensors = vec![Tensor::new("transition", vec![n, n], &bigram_probs(train, alpha))];
    let shipped = tensors[0].f64s();
    let (train_nll, _) = bigram_nll(&shipped, train);
    let (test_nll, test_chars) = bigram_nll(&shipped, test);
    Bigram { tensors, alpha, validation, train_nll, test_nll, test_chars }
}

/// The course's linear congruential generator (content/ml/code/bigram.py), so the Python
/// widget and this program draw the same names from the same seed.
pub fn lcg(state: u64) -> (u64, f64) {
    let state = (1664525 * state + 1013904223) % 4294967296;
    (state, state as f64 / 4294967296.0)
}

/// `count` names that start with `prefix`, drawn from the shipped table from `seed`; the
/// widget's Python does the same steps in the same order.
pub fn bigram_sample(transition: &[f64], prefix: &str, seed: u64, count: usize, max_len: usize) -> Vec<String> {
    let n = ALPHABET.len();
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut state = seed;
    let mut out = Vec::new();
    for _ in 0..count {
        let mut name = prefix.to_string();
        let mut current = name.chars().last().map_or(0, index);
        while name.len() < max_len {
            let (next, u) = lcg(state);
            state = next;
            let mut cumulative = 0.0;
            let mut pick = n - 1;
            for (b, _) in alphabet.iter().enumerate() {
                cumulative += transition[current * n + b];
                if u < cumulative {
                    pick = b;
                    break;
                }
            }
            if pick == 0 {
                break;
            }
            name.push(alphabet[pick]);
            current = pick;
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        crate::data::load_names(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap()
    }

    #[test]
    fn sampling_matches_the_chapters_python() {
        // `python3 content/ml/code/bigram.py` prints these eight names (alpha 0.1, seed 42).
        let probs = bigram_probs(&names(), 0.1);
        let sampled = bigram_sample(&probs, "", 42, 8, 20);
        assert_eq!(
            sampled,
            ["eliabah", "ozwmivia", "suvfdjbxvara", "aituolilllyn", "emanana", "eca", "oucvibelycxufsa", "ja"]
        );
        let (nll, _) = bigram_nll(&probs, &names());
        assert_eq!(format!("{nll:.3}"), "1.799");
    }

    #[test]
    fn alpha_is_chosen_without_the_held_out_names() {
        let all = names();
        let model = train_bigram(&all[..21], &all[21..]);
        // Changing the held-out names must not change the chosen alpha or the weights.
        let other = vec!["zzz".to_string(); 7];
        let again = train_bigram(&all[..21], &other);
        assert_eq!(model.alpha, again.alpha);
        assert_eq!(model.tensors[0].values, again.tensors[0].values);
        assert_ne!(model.test_nll, again.test_nll);
    }
}
