
w = tinyml.load_safetensors("model.safetensors")
x = [p / 16 for p in PIXELS]
h = [max(0.0, v) for v in layer(w["hidden.weight"], w["hidden.bias"], x)]
SCORES = report(tinyml.softmax(layer(w["output.weight"], w["output.bias"], h)))
