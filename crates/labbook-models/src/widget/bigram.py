import tinyml

P = tinyml.load_safetensors("model.safetensors")["transition"]
ALPHABET = ".abcdefghijklmnopqrstuvwxyz"
state = SEED
for n in range(COUNT):
    name = PREFIX
    current = 0
    if len(name) > 0:
        current = ALPHABET.index(name[len(name) - 1])
    while len(name) < MAX_LEN:
        state = (1664525 * state + 1013904223) % 4294967296
        u = state / 4294967296
        cumulative = 0.0
        pick = len(ALPHABET) - 1
        for b in range(len(ALPHABET)):
            cumulative = cumulative + P[current][b]
            if u < cumulative:
                pick = b
                break
        if pick == 0:
            break
        name = name + ALPHABET[pick]
        current = pick
    print(name)
