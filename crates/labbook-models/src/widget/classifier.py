import tinyml

def layer(weight, bias, v):
    out = []
    for i in range(len(bias)):
        s = bias[i]
        row = weight[i]
        for j in range(len(v)):
            s = s + row[j] * v[j]
        out.append(s)
    return out


def report(probs):
    scores = {}
    for c in range(len(probs)):
        scores[LABELS[c]] = probs[c]
        print(LABELS[c], probs[c])
    return scores
