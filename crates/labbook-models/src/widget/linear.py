
def standardise(w, x):
    if "feature_mean" not in w:
        return x
    return [(x[j] - w["feature_mean"][j]) / w["feature_std"][j] for j in range(len(x))]

w = tinyml.load_safetensors("model.safetensors")
SCORES = report(tinyml.softmax(layer(w["weight"], w["bias"], standardise(w, INPUT))))
