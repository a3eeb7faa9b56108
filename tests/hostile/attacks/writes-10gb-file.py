# Hostile submission: writes a 10 GB file
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: writes a 10 GB file

# %%
chunk = b"x" * (1 << 20)
with open("big.bin", "wb") as handle:
    for _ in range(10 * 1024):
        handle.write(chunk)
print("WROTE 10 GB")
